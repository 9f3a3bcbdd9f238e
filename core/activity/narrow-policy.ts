import { isMap, isScalar, isSeq, parseDocument, type Node } from "yaml";
import type { SourceFile } from "../types.js";

/** Why a policy could not be narrowed. */
export interface NarrowError {
  code: "rightsize.grant-not-found";
  message: string;
}

/** The policy file with the role replaced, or why not. */
export type NarrowResult =
  { ok: true; file: SourceFile; line: number; column: number } | { ok: false; error: NarrowError };

function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}

function get(node: unknown, key: string): unknown {
  return isMap(node) ? node.get(key, true) : undefined;
}

/**
 * Replaces the `role` of one entitlement's grant (`gcp` or `azure`, `from` → `to`) in the policy
 * files. Only the role's characters change: the file is read with the `yaml` Document API for the
 * value's exact range, and every comment, flow mapping and blank line stays as the owner wrote it.
 */
export function narrowPolicyRole(
  files: readonly SourceFile[],
  change: { entitlement: string; provider: "gcp" | "azure"; from: string; to: string },
): NarrowResult {
  for (const file of files) {
    const doc = parseDocument(file.content, { keepSourceTokens: false });
    if (doc.errors.length > 0) continue;
    const entitlements = get(get(doc.contents, "spec"), "entitlements");
    if (!isSeq(entitlements)) continue;
    for (const e of entitlements.items) {
      const name = get(e, "name");
      if (!isScalar(name) || name.value !== change.entitlement) continue;
      const grants = get(e, "grants");
      if (!isSeq(grants)) continue;
      for (const g of grants.items) {
        const role = get(get(g, change.provider), "role") as Node | undefined;
        if (!isScalar(role) || role.value !== change.from || !role.range) continue;
        const [start, end] = role.range;
        const quoted = role.type === "QUOTE_DOUBLE" || role.type === "QUOTE_SINGLE";
        const text = quoted
          ? JSON.stringify(change.to)
          : /^[\w./-]+$/.test(change.to)
            ? change.to
            : JSON.stringify(change.to);
        const content = file.content.slice(0, start) + text + file.content.slice(end);
        return { ok: true, file: { path: file.path, content }, ...lineCol(file.content, start) };
      }
    }
  }
  return {
    ok: false,
    error: {
      code: "rightsize.grant-not-found",
      message: `no ${change.provider} grant of role ${change.from} in entitlement ${change.entitlement} under policies/; rightsize --pr edits an entitlement's grant role, so name an entitlement whose grant holds that role`,
    },
  };
}
