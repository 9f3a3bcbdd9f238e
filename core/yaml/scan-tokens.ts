import type { CST } from "yaml";

/** A construct the safe subset refuses, found in the token stream at a source offset. */
export interface TokenProblem {
  offset: number;
  code: string;
  message: string;
}

/** What one pass over the YAML token stream (CST) found, before anything recursive runs. */
export interface TokenScan {
  /** Offset of the first mapping or list nested deeper than the limit, if any. */
  tooDeepAt: number | undefined;
  /** Offsets of the documents in the stream. */
  documents: number[];
  /** Anchors, aliases, tags and directives, each where the user wrote it. */
  problems: TokenProblem[];
  /** Start and end offsets of quoted scalars, in source order: an unclosed quote is reported where it opens. */
  quoted: { offset: number; end: number; quote: string }[];
}

type Token = CST.Token;

/**
 * Walks the token stream with an explicit stack and a depth counter. The `yaml` composer recurses
 * once per nesting level (and turns a stack overflow into an odd error, or worse, runs out of
 * stack in its caller), so nesting is measured here, iteratively, and deep input is refused
 * before it is composed. Anchors, aliases and tags are found here too: the tokens carry the exact
 * offset the user wrote them at, where the composed nodes only know the value they decorate.
 */
export function scanTokens(tokens: Iterable<Token>, maxDepth: number): TokenScan {
  const scan: TokenScan = { tooDeepAt: undefined, documents: [], problems: [], quoted: [] };
  const props = (list: readonly CST.SourceToken[] | readonly Token[] | undefined) => {
    if (!list) return;
    for (const t of list) {
      if (t.type === "anchor") {
        scan.problems.push({
          offset: t.offset,
          code: "yaml.alias",
          message: `anchor ${t.source} is not accepted; anchors and aliases are not supported`,
        });
      } else if (t.type === "tag") {
        scan.problems.push({
          offset: t.offset,
          code: "yaml.tag",
          message: `tag ${t.source} is not accepted; write plain values without tags`,
        });
      }
    }
  };
  // Depth counts the mappings and lists around a token, itself included when it is one.
  const stack: [Token, number][] = [];
  for (const top of tokens) {
    if (top.type === "directive") {
      scan.problems.push({
        offset: top.offset,
        code: "yaml.directive",
        message: "YAML directives (%YAML, %TAG) are not accepted",
      });
      continue;
    }
    if (top.type !== "document") continue;
    scan.documents.push(top.offset);
    props(top.start);
    if (top.value) stack.push([top.value, 1]);
    while (stack.length > 0) {
      const [t, depth] = stack.pop()!;
      switch (t.type) {
        case "block-map":
        case "block-seq":
        case "flow-collection": {
          if (depth > maxDepth) {
            scan.tooDeepAt = t.type === "flow-collection" ? t.start.offset : t.offset;
            return scan;
          }
          if (t.type === "flow-collection") props(t.end);
          // Pushed in reverse so that items are visited in source order.
          for (let i = t.items.length - 1; i >= 0; i--) {
            const item = t.items[i]!;
            props(item.start);
            props(item.sep);
            if (item.value) stack.push([item.value, depth + 1]);
            if (item.key) stack.push([item.key, depth + 1]);
          }
          break;
        }
        case "block-scalar":
          props(t.props);
          break;
        case "alias":
          scan.problems.push({
            offset: t.offset,
            code: "yaml.alias",
            message: `alias ${t.source} is not accepted; write the value out in full`,
          });
          break;
        case "single-quoted-scalar":
        case "double-quoted-scalar":
          scan.quoted.push({
            offset: t.offset,
            end: t.offset + t.source.length,
            quote: t.type === "single-quoted-scalar" ? "'" : '"',
          });
          break;
        default:
          break;
      }
    }
  }
  return scan;
}
