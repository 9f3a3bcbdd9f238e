const DURATION = /^(?:(\d{1,5})d)?(?:(\d{1,6})h)?(?:(\d{1,7})m)?$/;

/** Parses `(Nd)(Nh)(Nm)` (e.g. `30m`, `4h`, `1h30m`, `2d`) into minutes; undefined if malformed or zero. */
export function parseDuration(text: unknown): number | undefined {
  if (typeof text !== "string" || text === "") return undefined;
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const minutes = Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  return minutes > 0 ? minutes : undefined;
}

/** Formats minutes back into the canonical `(Nd)(Nh)(Nm)` form. */
export function formatDuration(minutes: number): string {
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return `${d ? `${d}d` : ""}${h ? `${h}h` : ""}${m ? `${m}m` : ""}` || "0m";
}
