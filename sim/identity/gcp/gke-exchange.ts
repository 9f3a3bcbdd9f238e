import { opaqueToken, type GcpIssuedToken } from "./gcp-tokens.js";
import { audiences, peekClaims, verifyAssertion } from "../verify-assertion.js";

/** A GKE cluster with Workload Identity Federation for GKE: its project and the issuer of its tokens. */
export interface GkeCluster {
  project: string;
  projectNumber: number;
  issuer: string;
}

/** The outcome of a GKE metadata-server exchange: a federated token, or Google's OAuth error. */
export type GkeOutcome =
  { ok: true; token: GcpIssuedToken } | { ok: false; error: string; description: string; detail?: string };

const PREFIX = "identitynamespace:";
const LIFETIME_SEC = 3600;

const fail = (error: string, description: string, detail?: string): GkeOutcome => ({
  ok: false,
  error,
  description,
  ...(detail ? { detail } : {}),
});

/** Whether an STS audience is GKE's `identitynamespace:PROJECT.svc.id.goog:ISSUER` form. */
export function isGkeAudience(audience: string): boolean {
  return audience.startsWith(PREFIX);
}

/**
 * The exchange the GKE metadata server makes for a pod: its projected token (audience
 * `PROJECT.svc.id.goog`) at STS with audience `identitynamespace:PROJECT.svc.id.goog:ISSUER`. The
 * federated token's principal is `principal://iam.googleapis.com/projects/N/locations/global/
 * workloadIdentityPools/PROJECT.svc.id.goog/subject/ns/NS/sa/KSA`.
 */
export async function exchangeGke(
  audience: string,
  subjectToken: string,
  scope: string,
  clusters: readonly GkeCluster[],
  now: Date,
): Promise<GkeOutcome> {
  const rest = audience.slice(PREFIX.length);
  const colon = rest.indexOf(":");
  const pool = colon < 0 ? rest : rest.slice(0, colon);
  const issuer = colon < 0 ? "" : rest.slice(colon + 1);
  const project = pool.replace(/\.svc\.id\.goog$/, "");
  const cluster = clusters.find((c) => c.project === project && c.issuer === issuer);
  if (!pool.endsWith(".svc.id.goog") || !cluster)
    return fail(
      "invalid_target",
      `The identity namespace ${pool} has no cluster with issuer ${issuer || "(none)"}: Workload Identity Federation for GKE is not enabled on it.`,
    );
  const peek = peekClaims(subjectToken);
  if (!peek) return fail("invalid_grant", "Unable to parse the ID Token.");
  if (peek.iss !== cluster.issuer)
    return fail(
      "invalid_grant",
      `The issuer in ID Token ${String(peek.iss)} does not match the expected ISS ${cluster.issuer}.`,
    );
  const verified = await verifyAssertion(subjectToken, cluster.issuer);
  if (!verified.ok)
    return fail("invalid_grant", `The ID Token signature could not be verified: ${verified.detail}.`);
  const claims = verified.claims;
  const sec = Math.floor(now.getTime() / 1000);
  if (typeof claims.exp !== "number" || claims.exp <= sec)
    return fail("invalid_grant", `The ID Token expired; the current time is ${now.toISOString()}.`);
  if (typeof claims.nbf === "number" && claims.nbf > sec)
    return fail("invalid_grant", "The ID Token is not valid yet.");
  if (!audiences(claims).includes(pool))
    return fail(
      "invalid_grant",
      `The audience in ID Token [${audiences(claims).join(", ")}] does not match the expected audience ${pool}.`,
    );
  const k8s = (claims["kubernetes.io"] ?? {}) as {
    namespace?: unknown;
    serviceaccount?: { name?: unknown };
  };
  const namespace = typeof k8s.namespace === "string" ? k8s.namespace : "";
  const ksa = typeof k8s.serviceaccount?.name === "string" ? k8s.serviceaccount.name : "";
  if (!namespace || !ksa || claims.sub !== `system:serviceaccount:${namespace}:${ksa}`)
    return fail("invalid_grant", "The ID Token is not a Kubernetes service account token.");
  const base = `//iam.googleapis.com/projects/${cluster.projectNumber}/locations/global/workloadIdentityPools/${pool}`;
  const subject = `ns/${namespace}/sa/${ksa}`;
  return {
    ok: true,
    token: {
      kind: "federated",
      token: opaqueToken("ya29.d.sim-gke-"),
      issuedAt: now,
      expiresAt: new Date(now.getTime() + LIFETIME_SEC * 1000),
      scopes: scope.split(/\s+/).filter(Boolean),
      provider: `projects/${cluster.projectNumber}/locations/global/workloadIdentityPools/${pool}`,
      subject,
      attributes: { "google.subject": subject },
      principal: `principal:${base}/subject/${subject}`,
      principalSets: [`principalSet:${base}/*`, `principalSet:${base}/namespace/${namespace}`],
    },
  };
}
