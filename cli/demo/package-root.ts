import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The jitops package folder (sources or bundle alike): it holds the example policies/ and CODEOWNERS. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "jitops")
      return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error("cannot find the jitops package folder");
    dir = up;
  }
}
