import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

// Issue 10: no module-level mutable state in product code. Caches, locks and memories belong to an
// instance (GitHubCaches, UseCaseMemory, ConditionalCache, made by GitHubInstance with its clock),
// so two bots in one process, or two tests, share nothing. Lookup tables (`new Set([...])` of
// constants) are not state and are allowed.

const PRODUCT = ["core", "app", "github", "providers", "tree", "action", "bot", "cli", "notify", "activity"];
const ROOT = join(import.meta.dirname, "..", "..");
const STATEFUL =
  /^(export )?(let |const \w+(: [^=]+)? = new (LruCache|Map|WeakMap|KeyedLock|ConditionalCache|TicketPatternCache)\b)/;

function tsFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? e.name === "generated"
        ? []
        : tsFiles(join(dir, e.name))
      : e.name.endsWith(".ts")
        ? [join(dir, e.name)]
        : [],
  );
}

/** Module-level lines that declare mutable state: `let`, or a const holding a new cache, map or lock. */
function moduleState(source: string): string[] {
  return source.split("\n").filter((line) => STATEFUL.test(line));
}

describe("no module-level mutable state in product code", () => {
  it("the check finds each kind of module state (so it can fail)", () => {
    expect(
      moduleState(
        [
          "const cache = new LruCache<string>(CACHE_BOUNDS.readFile);",
          "const locks = new Map<string, Promise<unknown>>();",
          "let unchecked = new Set<string>();",
          "export const seen: Map<string, number> = new Map();",
          "  const local = new Map();",
          "const FORBIDDEN = new Set(['__proto__']);",
        ].join("\n"),
      ),
    ).toEqual([
      "const cache = new LruCache<string>(CACHE_BOUNDS.readFile);",
      "const locks = new Map<string, Promise<unknown>>();",
      "let unchecked = new Set<string>();",
      "export const seen: Map<string, number> = new Map();",
    ]);
  });

  it("invariant: no product file keeps a module-level cache, map, lock or `let`", () => {
    const found = PRODUCT.flatMap(tsFiles).flatMap((file) =>
      moduleState(readFileSync(join(ROOT, file), "utf8")).map((line) => `${file}: ${line}`),
    );
    expect(found).toEqual([]);
  });
});
