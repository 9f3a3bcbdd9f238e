import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Where installs are kept, next to the tests' temporary folders (hard links need one file system). */
const KEPT = join(tmpdir(), "jitops-image-install");

/** `to` as a tree of hard links to the files of `from` (its symbolic links copied as links). */
function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const e of readdirSync(from, { withFileTypes: true })) {
    const [a, b] = [join(from, e.name), join(to, e.name)];
    if (e.isDirectory()) linkTree(a, b);
    else if (e.isSymbolicLink()) symlinkSync(readlinkSync(a), b);
    else linkSync(a, b);
  }
}

/**
 * `npm <args>` in `app` (a folder with package.json and package-lock.json), as an image build runs
 * it, once per manifest, lockfile and arguments: a lockfile install makes the same tree every time,
 * so later runs get hard links to the first one's files (a second instead of half a minute of CPU
 * for 19,000 files). A changed manifest, lockfile or RUN line installs again with npm.
 */
export async function installOnce(app: string, args: string[]): Promise<void> {
  const hash = createHash("sha256").update(args.join(" "));
  for (const f of ["package.json", "package-lock.json"]) hash.update(readFileSync(join(app, f)));
  const key = hash.digest("hex").slice(0, 16);
  const kept = join(KEPT, key);
  if (!existsSync(kept)) {
    // Installed beside the cache and renamed into place, so a run stopped midway keeps nothing.
    mkdirSync(KEPT, { recursive: true });
    for (const old of readdirSync(KEPT))
      if (!old.startsWith(key)) rmSync(join(KEPT, old), { recursive: true, force: true });
    const fresh = `${kept}.${process.pid}`;
    mkdirSync(fresh);
    for (const f of ["package.json", "package-lock.json"]) cpSync(join(app, f), join(fresh, f));
    await run("npm", [...args, "--prefer-offline"], { cwd: fresh, timeout: 180_000 });
    try {
      renameSync(fresh, kept);
    } catch {
      rmSync(fresh, { recursive: true, force: true }); // another run kept the same install first
    }
  }
  linkTree(join(kept, "node_modules"), join(app, "node_modules"));
}
