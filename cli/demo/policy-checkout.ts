import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";

/** A fresh temporary checkout whose `policies/<name>.yaml` is a Policy with `spec`: its root. */
export function policyCheckout(prefix: string, name: string, spec: Record<string, unknown>): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(root, "policies"));
  writeFileSync(
    join(root, "policies", `${name}.yaml`),
    stringify({ apiVersion: "jitops.dev/v1", kind: "Policy", metadata: { name }, spec }),
  );
  return root;
}
