import { MAX_QUOTED, quoteValue } from "./schema/quote-value.js";

/** Most digits in each number of a duration: days, hours, minutes (so every duration fits in 99999d). */
export const DURATION_DIGITS = { d: 5, h: 6, m: 7 } as const;

const DURATION = /^(?:(\d{1,5})d)?(?:(\d{1,6})h)?(?:(\d{1,7})m)?$/;
const DURATION_SHAPE = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/;
const EXAMPLES = "use (Nd)(Nh)(Nm), e.g. 30m, 4h, 1h30m, 2d";

/** Parses `(Nd)(Nh)(Nm)` (e.g. `30m`, `4h`, `1h30m`, `2d`) into minutes; undefined if malformed or zero. */
export function parseDuration(text: unknown): number | undefined {
  if (typeof text !== "string" || text === "") return undefined;
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const minutes = Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
  return minutes > 0 ? minutes : undefined;
}

/**
 * Says why parseDuration refuses a value, naming it as `what` (e.g. `duration`, `maxDuration`):
 * a number with too many digits, or not a positive duration at all (zero, or another form).
 */
export function durationProblem(what: string, text: unknown): string {
  const json = typeof text === "string" ? quoteValue(text) : (JSON.stringify(text) ?? String(text));
  const shown = json.length > 2 * MAX_QUOTED ? `${json.slice(0, MAX_QUOTED)}…` : json;
  const shape = typeof text === "string" ? DURATION_SHAPE.exec(text) : null;
  if (shape) {
    const units = [
      ["d", "days", shape[1]],
      ["h", "hours", shape[2]],
      ["m", "minutes", shape[3]],
    ] as const;
    const long = units.find(([u, , n]) => n !== undefined && n.length > DURATION_DIGITS[u]);
    if (long) {
      const [u, name] = long;
      const others = units.filter(([x]) => x !== u).map(([x, other]) => `${other} ${DURATION_DIGITS[x]}`);
      return `${what} ${shown} has too many digits: ${name} take at most ${DURATION_DIGITS[u]} digits (${others.join(", ")}); ${EXAMPLES}`;
    }
  }
  return `${what} ${shown} is not a positive duration; ${EXAMPLES}`;
}

/** Formats minutes back into the canonical `(Nd)(Nh)(Nm)` form. */
export function formatDuration(minutes: number): string {
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return `${d ? `${d}d` : ""}${h ? `${h}h` : ""}${m ? `${m}m` : ""}` || "0m";
}
