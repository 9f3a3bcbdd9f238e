/** A whitespace-separated token of a CODEOWNERS line and its 1-based column. */
export interface LineToken {
  text: string;
  column: number;
}

const isBlank = (c: string | undefined) => c === " " || c === "\t" || c === "\uFEFF";

/**
 * Splits a CODEOWNERS line into its pattern and owner tokens. A `#` starts a comment at the start
 * of the line or after whitespace (GitHub's example: `*.js @js-owner #This is an inline comment.`);
 * elsewhere it is part of its token, so `@alice#note` is one (invalid) owner. In the pattern a
 * backslash escapes the next character, so `my\ file` is one token.
 */
export function splitLine(line: string): LineToken[] {
  const tokens: LineToken[] = [];
  let i = 0;
  while (i < line.length) {
    while (isBlank(line[i])) i++;
    if (i >= line.length || line[i] === "#") break;
    const start = i;
    while (i < line.length && !isBlank(line[i])) {
      i += tokens.length === 0 && line[i] === "\\" && i + 1 < line.length ? 2 : 1;
    }
    tokens.push({ text: line.slice(start, i), column: start + 1 });
  }
  return tokens;
}
