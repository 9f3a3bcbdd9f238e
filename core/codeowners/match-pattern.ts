import type { CompiledPattern, GlobAtom, PatternSegment } from "./compile-pattern.js";

/** Length in UTF-16 units of the character at `i`, so `?` matches one character, astral ones too. */
function charLength(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
}

/**
 * Does one path segment match a glob? Greedy with one backtrack point per `*`, so it runs in
 * O(glob × segment) at worst: paths come from the pull request, so no backtracking regex here.
 */
function matchSegment(atoms: GlobAtom[], s: string): boolean {
  // A literal start or end rules most names out before any backtracking.
  const head = atoms[0]!;
  const tail = atoms[atoms.length - 1]!;
  if (typeof head === "object" && !s.startsWith(head.lit)) return false;
  if (typeof tail === "object" && !s.endsWith(tail.lit)) return false;
  let a = 0;
  let i = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (i < s.length) {
    const atom = atoms[a];
    if (atom === "?") {
      a++;
      i += charLength(s, i);
    } else if (atom !== undefined && atom !== "*" && s.startsWith(atom.lit, i)) {
      a++;
      i += atom.lit.length;
    } else if (atom === "*") {
      starAt = a++;
      resumeAt = i;
    } else if (starAt >= 0) {
      a = starAt + 1;
      resumeAt += charLength(s, resumeAt);
      i = resumeAt;
    } else return false;
  }
  while (atoms[a] === "*") a++;
  return a === atoms.length;
}

/**
 * Does the pattern own the path given as its `/`-separated parts? The set of positions the
 * pattern can have reached is carried segment by segment, so `**` costs no backtracking. The last
 * segment decides the tail: `**` needs something below, a lone `*` owns exactly one segment, and
 * any other name also owns everything below it (it may be a folder).
 */
export function matchesParts(p: CompiledPattern, parts: readonly string[]): boolean {
  return parts.length <= 30 ? matchesShort(p, parts) : matchesLong(p, parts);
}

function matchesOne(seg: Extract<PatternSegment, { globstar: false }>, part: string): boolean {
  if (seg.literal !== undefined) return part === seg.literal;
  return seg.lone ? part.length > 0 : matchSegment(seg.atoms, part);
}

/** The match for paths of at most 30 segments: the reachable positions are the bits of one number. */
function matchesShort(p: CompiledPattern, parts: readonly string[]): boolean {
  const n = parts.length;
  let reach = 1; // bit j: the pattern so far can have consumed the first j segments
  for (let k = 0; k < p.segments.length; k++) {
    const seg = p.segments[k]!;
    const last = k === p.segments.length - 1;
    const first = 31 - Math.clz32(reach & -reach); // lowest reachable position
    if (seg.globstar) {
      if (last) return first < n;
      reach = (((1 << (n + 1)) - 1) >>> first) << first;
      continue;
    }
    let next = 0;
    for (let j = first; j < n; j++) if (reach & (1 << j) && matchesOne(seg, parts[j]!)) next |= 1 << (j + 1);
    if (next === 0) return false;
    if (last) return seg.lone ? (next & (1 << n)) !== 0 : true;
    reach = next;
  }
  return false;
}

/** The same match for deeper paths, with the reachable positions in an array. */
function matchesLong(p: CompiledPattern, parts: readonly string[]): boolean {
  const n = parts.length;
  let reach = new Uint8Array(n + 1);
  reach[0] = 1;
  let first = 0;
  for (let k = 0; k < p.segments.length; k++) {
    const seg = p.segments[k]!;
    const last = k === p.segments.length - 1;
    if (seg.globstar) {
      if (last) return first < n;
      reach.fill(1, first);
      continue;
    }
    const next = new Uint8Array(n + 1);
    let reached = -1;
    for (let j = first; j < n; j++) {
      if (!reach[j]) continue;
      if (matchesOne(seg, parts[j]!)) {
        next[j + 1] = 1;
        if (reached < 0) reached = j + 1;
      }
    }
    if (reached < 0) return false;
    if (last) return seg.lone ? next[n] === 1 : true;
    reach = next;
    first = reached;
  }
  return false;
}

/** Does the pattern own `path` (relative to the repository root, `/`-separated)? */
export function matchesPath(p: CompiledPattern, path: string): boolean {
  return matchesParts(p, path.split("/"));
}
