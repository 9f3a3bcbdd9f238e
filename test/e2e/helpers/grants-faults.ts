import type { ProviderName } from "../../../core/plan/binding.js";
import { PEOPLE, PROD, type GrantsScenario } from "./grants-scenario.js";

// What the grants fault suites share: the cloud paths they fault, and how they read the clouds.

export const GCP_SET = "/v3/projects/acme-prod:setIamPolicy";
export const GCP_GET = "/v3/projects/acme-prod:getIamPolicy";
export const AZURE_PUT = /\/roleAssignmentScheduleRequests\/[0-9a-f-]{36}$/;
export const AZURE_ROLES = /\/roleDefinitions$/;
export const K8S_BINDINGS = "/apis/rbac.authorization.k8s.io/v1/namespaces/payments/rolebindings";
const ALICE = PEOPLE.alice!;

/** Each scenario starts its own world (simulators and bot) on its own day: nothing of one meets another. */
let day = 0;
export const nextDay = () => new Date(Date.UTC(2026, 10, 1 + day++, 10));

/** Which of alice's three prod-db-reader bindings the cloud holds. */
export function held(s: GrantsScenario): Record<ProviderName, boolean> {
  return {
    gcp: s.gcpRows().some((r) => r.member === ALICE.gcp && r.title === "jitops:alice-prod-db"),
    azure: s.azureLive().some((x) => x.principalId === ALICE.azure && x.scope === PROD.scope),
    kubernetes: s.k8sRows().some((b) => b.name === "jitops-alice-prod-db-0"),
  };
}

/** Cloud calls since the last reset, as `service METHOD operation status`. */
export function writes(s: GrantsScenario, service?: "gcp" | "azure" | "kubernetes"): string[] {
  return s.cloud
    .callLog(service)
    .filter((c) => c.kind === "write")
    .map((c) => `${c.service} ${c.operation} ${c.status}`);
}
