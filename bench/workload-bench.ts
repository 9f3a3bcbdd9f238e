import { runCredentialsMode } from "../action/credentials-mode.js";
import { runTrust } from "../cli/commands/trust.js";
import { DEMO_WORKLOAD, jobClaims, startWorkloadWorld } from "../cli/demo/workload-world.js";
import { gcpAudience } from "../providers/gcp-workload-credentials.js";
import { githubActionsRule } from "../core/trust/github-actions-issuer.js";
import { checkClaims } from "../core/trust/trust-rule.js";
import { perCallMicros, round } from "./measure.js";

/** The local claims check (µs per call) and the cloud calls of one GCP and one Azure exchange on the embedded cloud. */
export async function benchWorkload() {
  const rule = githubActionsRule(DEMO_WORKLOAD);
  const audience = gcpAudience(
    (DEMO_WORKLOAD.grants[0] as { gcp: { workloadIdentityProvider: string } }).gcp.workloadIdentityProvider,
  );
  const now = new Date();
  const claims = { ...jobClaims(), iss: rule.issuer, aud: audience, exp: now.getTime() / 1000 + 300 };
  const claimsUs = perCallMicros(100_000, () => checkClaims(rule, claims, audience, now));

  const world = await startWorkloadWorld(() => new Date());
  try {
    await runTrust(
      { apply: true, root: world.root },
      { out: () => undefined, err: () => undefined, color: false },
      {},
      world.trust,
    );
    world.sim.setJob({ claims: jobClaims(), subjectForm: "immutable" });
    world.sim.resetCalls();
    await runCredentialsMode(
      world.io({ workload: "api-deploy", provider: "gcp" }).io,
      world.root,
      world.env,
      () => new Date(),
    );
    const gcpCalls = world.sim.calls("sts") + world.sim.calls("iamcredentials");
    world.sim.resetCalls();
    await runCredentialsMode(
      world.io({ workload: "api-deploy", provider: "azure" }).io,
      world.root,
      world.env,
      () => new Date(),
      world.azureAgent,
    );
    // MSAL also reads the authority's OpenID metadata (cached after the first call); the exchange itself is the token call.
    const azureCalls = world.sim
      .callLog()
      .filter((c: { path: string }) => c.path.endsWith("/oauth2/v2.0/token")).length;
    return {
      claims_check_us: round(claimsUs, 3),
      gcp_exchange_calls: gcpCalls,
      azure_exchange_calls: azureCalls,
    };
  } finally {
    await world.close();
  }
}
