import type { CertificationCadence } from "../types.js";

type Push = (pointer: string, code: string, message: string, key?: boolean) => void;
type Named = { name?: unknown; certification?: CertificationCadence } | undefined;

/**
 * Checks what the schema cannot: each entitlement or workload under certification ends up with
 * both `every` and `reviewers`, from its own `certification` or the file's spec.certification.
 */
export function checkCadences(
  spec: { certification?: CertificationCadence; entitlements?: unknown; workloads?: unknown },
  push: Push,
): void {
  const file = spec.certification;
  const each = (kind: "entitlement" | "workload", list: unknown, at: string) => {
    if (!Array.isArray(list)) return;
    (list as Named[]).forEach((x, i) => {
      const own = x?.certification;
      if (!file && !own) return;
      const merged = { ...file, ...own };
      const missing = (["every", "reviewers"] as const).filter((k) => merged[k] === undefined);
      if (missing.length === 0) return;
      const name = typeof x?.name === "string" ? x.name : `#${i + 1}`;
      push(
        own ? `${at}/${i}/certification` : "/spec/certification",
        "certification.incomplete",
        `${kind} ${name} is under certification without ${missing.join(" and ")}; set ${missing.join(" and ")} in its certification or in spec.certification`,
        true,
      );
    });
  };
  each("entitlement", spec.entitlements, "/spec/entitlements");
  each("workload", spec.workloads, "/spec/workloads");
}
