/**
 * Hostile inputs for the fuzz bench: random bytes, mutations of the repository's own files, and
 * templates of known attacks (YAML bombs, deep nesting, huge scalars, prototype keys, NUL, CRLF,
 * BOM, 64 KiB of keys or aliases or errors, long tickets). Deterministic for a seed, so any input
 * a run reports can be made again from its index.
 */

/** One file the repository ships (a policy, request, test case, CODEOWNERS, docs YAML). */
export interface CorpusFile {
  path: string;
  content: string;
}

/** Which checks an input goes through. */
export type FuzzTarget = "request" | "policy" | "codeowners" | "test-case";

/** One generated input: its text, what it is (for the report), and where it goes. */
export interface FuzzInput {
  index: number;
  description: string;
  content: string;
  targets: FuzzTarget[];
}

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same inputs. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Tokens that matter to a YAML lexer or to our checks, spliced into inputs. */
const TOKENS = [
  ": ",
  "- ",
  "? ",
  "[",
  "]",
  "{",
  "}",
  ",",
  "&a ",
  "*a",
  "*a ",
  "!!str ",
  "!tag ",
  "<<: ",
  "__proto__: ",
  "constructor: ",
  "prototype: ",
  '"__proto__": ',
  "\0",
  "\r\n",
  "\r",
  "\n",
  "\uFEFF",
  "'",
  '"',
  "# ",
  "|\n",
  ">-\n",
  "%YAML 1.2\n---\n",
  "---\n",
  "...\n",
  "\t",
  "😀",
  "\uD800",
  "\uDFFF",
  "\u2028",
  "  ",
  "    ",
  "100000d",
  "99999999999999999999",
  "0m",
  "-1h",
  "~",
  "null",
  "true",
  "0x1F",
  "1e9999",
  ".nan",
  "@acme/sre",
  "**",
  "/",
  "\\",
  "!",
  "[z-a]",
  "(a+)+$",
];

const KEYS = [
  "apiVersion",
  "kind",
  "metadata",
  "name",
  "spec",
  "entitlement",
  "duration",
  "ticket",
  "justification",
  "start",
  "principal",
  "breakGlass",
  "entitlements",
  "grants",
  "eligible",
  "maxDuration",
  "approval",
  "require",
  "workloads",
  "principals",
  "policyOwners",
];

/** The worst ticket pattern policy accepts (1,901 steps, searched at every position). */
export const WORST_TICKET_PATTERN = "(?:[a-z]{100}){19}X";

/** A policy with one entitlement whose ticket pattern is WORST_TICKET_PATTERN, named `fuzz-worst`. */
export const WORST_PATTERN_POLICY = `apiVersion: jitops.dev/v1
kind: Policy
metadata:
  name: fuzz
spec:
  entitlements:
    - name: fuzz-worst
      grants:
        - gcp: {resource: projects/p, role: roles/browser}
      eligible: {users: [alice]}
      maxDuration: 8h
      require: {ticket: "${WORST_TICKET_PATTERN}"}
      approval: none
`;

const KIB64 = 64 * 1024;

/**
 * Yields `count` inputs from `corpus` and `seed`: every hostile template once (YAML bombs, deep
 * nesting, 64 KiB and 10 MB files), then random bytes, random YAML-ish token soup and mutations
 * of corpus files, with a template again about once in 500 inputs.
 */
export function* fuzzInputs(corpus: CorpusFile[], seed: number, count: number): Generator<FuzzInput> {
  const random = createRandom(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
  const huge = "x".repeat(10 * 1024 * 1024);
  const byKind = {
    codeowners: corpus.filter((f) => /CODEOWNERS$/.test(f.path)),
    yaml: corpus.filter((f) => !/CODEOWNERS$/.test(f.path)),
  };
  const templates = hostileTemplates(int, pick, huge);
  // Parsing dominates the cost of every check, so an input after the templates goes through one
  // of its targets, chosen at random: every target sees every kind of input over a run.
  const one = (targets: FuzzTarget[]): FuzzTarget[] => [pick(targets)];
  for (let index = 0; index < count; index++) {
    if (index < templates.length) {
      const [name, make, targets] = templates[index]!;
      yield { index, description: `template ${name}`, content: make(), targets };
      continue;
    }
    const roll = random();
    if (roll < 0.002) {
      const [name, make, targets] = pick(templates);
      yield { index, description: `template ${name}`, content: make(), targets: one(targets) };
    } else if (roll < 0.15) {
      const n = int(random() < 0.9 ? 300 : 4096);
      const bytes = new Uint8Array(n);
      for (let i = 0; i < n; i++) bytes[i] = int(256);
      const latin1 = random() < 0.3;
      yield {
        index,
        description: `random ${n} bytes as ${latin1 ? "latin1" : "UTF-8"}`,
        content: Buffer.from(bytes).toString(latin1 ? "latin1" : "utf8"),
        targets: one(["request", "policy", "codeowners", "test-case"]),
      };
    } else if (roll < 0.3) {
      const n = 1 + int(120);
      let s = "";
      for (let i = 0; i < n; i++) s += random() < 0.3 ? `${pick(KEYS)}: ` : pick(TOKENS);
      yield {
        index,
        description: `token soup of ${n}`,
        content: s,
        targets: one(["request", "policy", "test-case"]),
      };
    } else {
      const useCodeowners = byKind.codeowners.length > 0 && random() < 0.1;
      const file = pick(useCodeowners ? byKind.codeowners : byKind.yaml);
      const ops = 1 + int(6);
      let s = file.content;
      const applied: string[] = [];
      for (let k = 0; k < ops; k++) {
        const [name, next] = mutate(s, int, pick, random, corpus);
        s = next;
        applied.push(name);
      }
      const targets: FuzzTarget[] = useCodeowners
        ? ["codeowners"]
        : /\.test\.ya?ml$/.test(file.path)
          ? one(["test-case", "test-case", "request", "policy"])
          : one(["request", "policy"]);
      yield { index, description: `${file.path} with ${applied.join(", ")}`, content: s, targets };
    }
  }
}

function mutate(
  s: string,
  int: (n: number) => number,
  pick: <T>(list: readonly T[]) => T,
  random: () => number,
  corpus: CorpusFile[],
): [string, string] {
  const at = int(s.length + 1);
  const len = int(Math.min(64, s.length - at + 1));
  switch (int(11)) {
    case 0:
      return ["delete", s.slice(0, at) + s.slice(at + len)];
    case 1:
      return ["insert token", s.slice(0, at) + pick(TOKENS) + s.slice(at)];
    case 2:
      return ["duplicate", s.slice(0, at + len) + s.slice(at, at + len) + s.slice(at + len)];
    case 3: {
      const lines = s.split("\n");
      const i = int(lines.length);
      lines[i] = " ".repeat(int(5)) + (lines[i] ?? "").trimStart();
      return ["reindent a line", lines.join("\n")];
    }
    case 4: {
      const lines = s.split("\n");
      const i = int(lines.length);
      const j = int(lines.length);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return ["swap lines", lines.join("\n")];
    }
    case 5:
      return ["CRLF", s.replace(/\n/g, "\r\n")];
    case 6:
      return ["BOM", `\uFEFF${s}`];
    case 7: {
      const other = pick(corpus).content;
      const from = int(other.length);
      return ["splice", s.slice(0, at) + other.slice(from, from + int(200)) + s.slice(at)];
    }
    case 8: {
      // Replace a scalar after ": " with a hostile value.
      const values = [
        "100000d",
        "0m",
        `"${"😀".repeat(300)}"`,
        "~",
        "[",
        "*a",
        "&a x",
        "!!binary x",
        "1e400",
      ];
      const i = s.indexOf(": ", at);
      if (i < 0) return ["no-op", s];
      const end = s.indexOf("\n", i);
      return ["hostile value", s.slice(0, i + 2) + pick(values) + (end < 0 ? "" : s.slice(end))];
    }
    case 9:
      return ["flip a byte", s.slice(0, at) + String.fromCharCode(int(0x300)) + s.slice(at + 1)];
    default:
      return random() < 0.5 ? ["NUL", s.slice(0, at) + "\0" + s.slice(at)] : ["truncate", s.slice(0, at)];
  }
}

type Template = [string, () => string, FuzzTarget[]];

function hostileTemplates(
  int: (n: number) => number,
  pick: <T>(list: readonly T[]) => T,
  huge: string,
): Template[] {
  const all: FuzzTarget[] = ["request", "policy", "codeowners", "test-case"];
  const yaml: FuzzTarget[] = ["request", "policy", "test-case"];
  const fill = (line: (i: number) => string, limit = KIB64 - 64) => {
    const out: string[] = [];
    let size = 0;
    for (let i = 0; size < limit; i++) {
      const l = line(i);
      out.push(l);
      size += l.length + 1;
    }
    out.pop();
    return out.join("\n");
  };
  const request = (spec: string) =>
    `apiVersion: jitops.dev/v1\nkind: AccessRequest\nmetadata:\n  name: fuzz\nspec:\n${spec}\n`;
  return [
    [
      "billion laughs",
      () => {
        let s = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
        for (let i = 0; i < 9; i++) {
          const p = String.fromCharCode(97 + i);
          const n = String.fromCharCode(98 + i);
          s += `${n}: &${n} [${Array(9).fill(`*${p}`).join(",")}]\n`;
        }
        return s;
      },
      yaml,
    ],
    ["10k-deep flow lists", () => `a: ${"[".repeat(10_000)}${"]".repeat(10_000)}\n`, yaml],
    ["10k-deep flow maps", () => `a: ${"{a: ".repeat(10_000)}${"}".repeat(10_000)}\n`, yaml],
    ["10k unclosed [", () => `a: ${"[".repeat(10_000 + int(20_000))}\n`, yaml],
    ["10k-deep block lists (- - -)", () => `${"- ".repeat(10_000)}x\n`, yaml],
    ["10k-deep compact maps (name: c: c:)", () => `name: ${"c: ".repeat(10_000)}x\n`, yaml],
    ["deep block maps by indentation", () => fill((i) => `${" ".repeat(i)}a:`), yaml],
    ["10k-deep explicit keys (? ? ?)", () => `${"? ".repeat(10_000)}x\n`, yaml],
    ["10 MB scalar", () => `a: ${huge}\n`, all],
    ["64 KiB scalar", () => `a: ${huge.slice(0, KIB64 - 8)}\n`, yaml],
    ["64 KiB of distinct keys", () => fill((i) => `k${i}: ${i}`), yaml],
    ["64 KiB of unknown keys under spec", () => request(fill((i) => `  k${i}: 1`, KIB64 - 200)), yaml],
    ["64 KiB of aliases", () => `a: &a x\n${fill((i) => `b${i}: *a`, KIB64 - 16)}`, yaml],
    ["64 KiB of anchors", () => fill((i) => `k${i}: &a${i} x`), yaml],
    ["64 KiB of tags", () => fill((i) => `k${i}: !!str x`), yaml],
    ["64 KiB flow list of aliases", () => `a: &a x\nb: [${"*a, ".repeat(16_000)}]\n`, yaml],
    ["64 KiB list", () => `a:\n${fill(() => "- 1")}`, yaml],
    ["64 KiB of duplicate keys", () => fill(() => "k: 1"), yaml],
    ["64 KiB of syntax errors", () => fill(() => "a: b: c"), yaml],
    [
      "64 KiB of bad entitlements",
      () =>
        `apiVersion: jitops.dev/v1\nkind: Policy\nmetadata: {name: x}\nspec:\n  entitlements:\n${fill(
          (i) => `    - {name: e${i}, approval: []}`,
          KIB64 - 200,
        )}\n`,
      yaml,
    ],
    [
      "64 KiB of invalid ticket patterns",
      () =>
        `apiVersion: jitops.dev/v1\nkind: Policy\nmetadata: {name: x}\nspec:\n  entitlements:\n${fill(
          (i) =>
            `    - {name: e${i}, grants: [{gcp: {resource: projects/p, role: roles/browser}}], eligible: {users: [a]}, maxDuration: 1h, approval: none, require: {ticket: "(?:[a-z]{100}){19}${i}"}}`,
          KIB64 - 200,
        )}\n`,
      yaml,
    ],
    [
      "prototype keys",
      () =>
        pick([
          "__proto__: {polluted: true}\n",
          "a:\n  constructor: {prototype: {polluted: true}}\n",
          '{"__proto__": {"polluted": true}}\n',
          "a: [{__proto__: x}]\n",
          request("  __proto__: {polluted: true}\n  entitlement: x"),
          "? __proto__\n: {polluted: true}\n",
        ]),
      yaml,
    ],
    ["NUL bytes", () => `apiVersion: jitops.dev/v1\0\nkind: \0AccessRequest\n`, all],
    [
      "BOM and CRLF",
      () => `\uFEFF${request("  entitlement: prod-db-reader\r\n  duration: 4h").replace(/\n/g, "\r\n")}`,
      all,
    ],
    ["lone surrogates", () => request(`  entitlement: "\uD800\uDC00\uD800"\n  ticket: \uDFFF`), all],
    [
      "64 KiB ticket against the worst accepted pattern",
      () => request(`  entitlement: fuzz-worst\n  duration: 1h\n  ticket: ${"a".repeat(KIB64 - 200)}`),
      ["request"],
    ],
    [
      "256-character ticket against the worst accepted pattern",
      () => request(`  entitlement: fuzz-worst\n  duration: 1h\n  ticket: ${"abcdefghij".repeat(25)}abcdef`),
      ["request"],
    ],
    ["100000d duration", () => request("  entitlement: prod-db-reader\n  duration: 100000d"), ["request"]],
    [
      "64 KiB CODEOWNERS of hostile patterns",
      () => fill((i) => pick([`**/**/**/**/*${i} @a/b`, `[${i} @x`, `/a/**/b/**/c${i}? @u`, `!x @y`])),
      ["codeowners"],
    ],
    ["CODEOWNERS of one 60 KiB line", () => `${"*".repeat(KIB64 - 4096)} @a`, ["codeowners"]],
  ];
}
