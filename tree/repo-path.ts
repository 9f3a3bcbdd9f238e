import { realpath } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, sep } from "node:path";

/** `abs` relative to `root` with forward slashes, or undefined when it is not inside. */
function inside(root: string, abs: string): string | undefined {
  const r = relative(root, abs);
  if (r === "") return ".";
  if (r === ".." || r.startsWith(`..${sep}`) || isAbsolute(r)) return undefined;
  return r.split(sep).join("/");
}

/**
 * The repository-relative form (`access/requests/x.yaml`, `.` for the root itself) of an absolute
 * path, for reading and reporting; undefined when it is outside `root` (a real path). A path through
 * a symlinked folder (/tmp -> /private/tmp) counts by where its folder really is; the file itself
 * may be a link, and is reported under its own name.
 */
export async function repoPath(root: string, abs: string): Promise<string | undefined> {
  const direct = inside(root, abs);
  if (direct !== undefined) return direct;
  const folder = await realpath(dirname(abs)).catch(() => undefined);
  return folder === undefined ? undefined : inside(root, join(folder, basename(abs)));
}
