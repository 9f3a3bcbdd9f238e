import type { CompiledPattern, GlobAtom } from "./compile-pattern.js";

/**
 * Does one path segment match a glob? Greedy with one backtrack point per `*`, so it runs in
 * O(glob × segment) at worst: paths come from the pull request, so no backtracking regex here.
 */
function matchSegment(atoms: GlobAtom[], segment: string): boolean {
  const s = [...segment];
  let a = 0;
  let i = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (i < s.length) {
    const atom = atoms[a];
    if (atom !== undefined && atom !== "*" && (atom === "?" || atom.lit === s[i])) {
      a++;
      i++;
    } else if (atom === "*") {
      starAt = a++;
      resumeAt = i;
    } else if (starAt >= 0) {
      a = starAt + 1;
      i = ++resumeAt;
    } else return false;
  }
  while (atoms[a] === "*") a++;
  return a === atoms.length;
}

/**
 * Does the pattern own `path` (relative to the root, `/`-separated)? The set of path positions
 * the pattern can have reached is carried segment by segment, so `**` costs no backtracking.
 * The last segment decides the tail: `**` needs something below, a lone `*` owns exactly one
 * segment, and any other name also owns everything below it (it may be a folder).
 */
export function matchesPath(p: CompiledPattern, path: string): boolean {
  const parts = path.split("/");
  const n = parts.length;
  let reach = new Array<boolean>(n + 1).fill(false);
  reach[0] = true;
  for (let k = 0; k < p.segments.length; k++) {
    const seg = p.segments[k]!;
    const last = k === p.segments.length - 1;
    const first = reach.indexOf(true);
    if (first < 0) return false;
    if (seg.globstar) {
      if (last) return first < n;
      reach = reach.map((_, j) => j >= first);
      continue;
    }
    const next = new Array<boolean>(n + 1).fill(false);
    for (let j = first; j < n; j++) {
      if (!reach[j]) continue;
      const part = parts[j]!;
      if (seg.lone ? part.length > 0 : matchSegment(seg.atoms, part)) next[j + 1] = true;
    }
    reach = next;
    if (last) return seg.lone ? reach[n]! : reach.includes(true);
  }
  return false;
}
