/** Parses a JSON object body; `undefined` for an empty body, `null` when it is not a JSON object. */
export function parseJsonObject(raw: string): Record<string, unknown> | undefined | null {
  if (raw.trim() === "") return undefined;
  try {
    const v: unknown = JSON.parse(raw);
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
