import type { SimRequest } from "./types.js";

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

/** Whether the request body is `application/x-www-form-urlencoded`. */
export function isForm(req: SimRequest): boolean {
  return (req.headers["content-type"] ?? "").toLowerCase().startsWith("application/x-www-form-urlencoded");
}

/** The bearer token of the Authorization header, if any. */
export function bearerToken(req: SimRequest): string | undefined {
  const m = /^bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
  return m?.[1];
}
