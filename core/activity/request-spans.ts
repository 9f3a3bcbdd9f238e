import { parse } from "yaml";
import { parseDuration } from "../duration.js";
import type { AccessRequest, Policy } from "../types.js";
import type { GrantSpan } from "./grant-windows.js";

/** One state of a request file on the default branch: its content from a commit on, or its deletion. */
export interface RequestVersion {
  commit: string;
  /** When the commit landed (the merge), RFC 3339. */
  time: string;
  /** The commit's author as a GitHub login, when known. */
  author?: string;
  /** Undefined: the commit deleted the file (a revoke or the expiry's revert). */
  content?: string;
}

/**
 * The grant spans a request's history declares: each version holds from its merge (or later `start`)
 * for its `duration`, and ends early when the next version (an extension, a revoke) lands. The
 * principal is the request's `principal` (its owner's map in policy) or the requester's map; a
 * version whose entitlement or principal policy no longer knows is reported, not guessed.
 */
export function requestSpans(
  name: string,
  versions: readonly RequestVersion[],
  policy: Policy,
  requester?: string,
): { spans: GrantSpan[]; problems: string[] } {
  const spans: GrantSpan[] = [];
  const problems: string[] = [];
  versions.forEach((v, i) => {
    if (v.content === undefined) return;
    let req: AccessRequest;
    try {
      req = parse(v.content, { schema: "core", uniqueKeys: true }) as AccessRequest;
    } catch {
      problems.push(`${name} at ${v.commit.slice(0, 12)} does not parse`);
      return;
    }
    const entitlement = policy.entitlements.find((e) => e.name === req?.spec?.entitlement);
    const minutes = parseDuration(req?.spec?.duration);
    if (!entitlement || minutes === undefined) {
      problems.push(
        `${name} at ${v.commit.slice(0, 12)}: entitlement ${String(req?.spec?.entitlement)} is not in policy now`,
      );
      return;
    }
    const asked = req.spec.principal;
    const owner = asked
      ? Object.entries(policy.principals).find(([, m]) => Object.values(m).includes(asked))?.[0]
      : (requester ?? v.author);
    const map = owner
      ? Object.entries(policy.principals).find(([l]) => l.toLowerCase() === owner.toLowerCase())?.[1]
      : undefined;
    if (!map) {
      problems.push(
        `${name}: no principals are mapped in policy for ${asked ?? owner ?? "its requester"} (pass --author with the requester's GitHub login)`,
      );
      return;
    }
    const merged = Date.parse(v.time);
    const asked0 = req.spec.start ? Date.parse(req.spec.start) : NaN;
    const start = Number.isFinite(asked0) && asked0 > merged ? asked0 : merged;
    const next = versions[i + 1];
    const end = Math.min(start + minutes * 60_000, next ? Date.parse(next.time) : Infinity);
    if (end <= start) return;
    spans.push({
      request: name,
      entitlement,
      principals: map,
      start: new Date(start).toISOString(),
      end: new Date(end).toISOString(),
      ...(req.spec.breakGlass ? { breakGlass: true } : {}),
    });
  });
  return { spans, problems };
}
