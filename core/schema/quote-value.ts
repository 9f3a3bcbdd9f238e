/** Longest value quoted in a message; a message is read by a person, not a copy of a hostile file. */
export const MAX_QUOTED = 80;

/** JSON-quotes a string for a message, cut to MAX_QUOTED characters (code points) with an ellipsis. */
export function quoteValue(v: string): string {
  const chars = [...v.slice(0, MAX_QUOTED * 2)];
  return chars.length > MAX_QUOTED || v.length > MAX_QUOTED * 2
    ? `${JSON.stringify(chars.slice(0, MAX_QUOTED).join(""))}… (${[...v].length} characters)`
    : JSON.stringify(v);
}
