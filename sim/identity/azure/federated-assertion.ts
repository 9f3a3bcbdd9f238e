import { audiences, peekClaims, verifyAssertion } from "../verify-assertion.js";
import type { AzureApp, FederatedIdentityCredential } from "./azure-apps.js";

/** Which credential admitted an assertion, or the AADSTS error Entra answers with. */
export type AssertionMatch =
  | { ok: true; credential: FederatedIdentityCredential; claims: Record<string, unknown> }
  | { ok: false; status: number; error: string; code: number; message: string };

const WIF_DOC = "https://learn.microsoft.com/entra/workload-id/workload-identity-federation";

const refuse = (status: number, error: string, code: number, message: string): AssertionMatch => ({
  ok: false,
  status,
  error,
  code,
  message,
});

function timeWindow(claims: Record<string, unknown>, now: Date): AssertionMatch | undefined {
  const { exp, nbf } = claims;
  const iso = (s: unknown): string => (typeof s === "number" ? new Date(s * 1000).toISOString() : "unknown");
  const sec = now.getTime() / 1000;
  if (typeof exp !== "number" || exp <= sec || (typeof nbf === "number" && nbf > sec))
    return refuse(
      401,
      "invalid_client",
      700024,
      `Client assertion is not within its valid time range. Current time: ${now.toISOString()}, assertion valid from ${iso(nbf)}, expiry time of assertion ${iso(exp)}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`,
    );
  return undefined;
}

/** Matches a client assertion against an app's federated credentials, as Entra's token endpoint does. */
export async function matchAssertion(
  assertion: string,
  app: AzureApp,
  credentials: FederatedIdentityCredential[],
  now: Date,
): Promise<AssertionMatch> {
  const peek = peekClaims(assertion);
  if (!peek) return refuse(400, "invalid_request", 50027, "JWT token is invalid or malformed.");
  const iss = String(peek.iss ?? "");
  const sub = String(peek.sub ?? "");
  const aud = audiences(peek);
  if (credentials.length === 0)
    return refuse(
      400,
      "invalid_request",
      70021,
      `No matching federated identity record found for presented assertion. Assertion Issuer: '${iss}'. Assertion Subject: '${sub}'. Assertion Audience: '${aud.join(",")}'. ${WIF_DOC}`,
    );
  const byIssuer = credentials.filter((c) => c.issuer === iss);
  if (byIssuer.length === 0)
    return refuse(
      401,
      "invalid_client",
      700211,
      `No matching federated identity record found for presented assertion issuer '${iss}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${WIF_DOC}`,
    );
  const verified = await verifyAssertion(assertion, iss);
  if (!verified.ok)
    return refuse(
      401,
      "invalid_client",
      700027,
      `Client assertion failed signature validation. (${verified.detail})`,
    );
  const late = timeWindow(verified.claims, now);
  if (late) return late;
  const byAudience = byIssuer.filter((c) => c.audiences.some((a) => aud.includes(a)));
  if (byAudience.length === 0)
    return refuse(
      401,
      "invalid_client",
      700212,
      `No matching federated identity record found for presented assertion audience '${aud.join(",")}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${WIF_DOC}`,
    );
  const credential = byAudience.find((c) => c.subject === sub);
  if (!credential)
    return refuse(
      401,
      "invalid_client",
      700213,
      `No matching federated identity record found for presented assertion subject '${sub}'. Please note that the matching is done using a case-sensitive comparison. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${WIF_DOC}`,
    );
  return { ok: true, credential, claims: verified.claims };
}
