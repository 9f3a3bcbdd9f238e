import { parseCel } from "./cel-parse.js";
import { CelEvalError, evalCel } from "./cel-eval.js";
import { federatedPrincipals, opaqueToken, type GcpIssuedToken } from "./gcp-tokens.js";
import { exchangeGke, isGkeAudience, type GkeCluster } from "./gke-exchange.js";
import type { WorkloadIdentityProvider } from "./workload-providers.js";
import { audiences, peekClaims, verifyAssertion } from "../verify-assertion.js";

/** The RFC 8693 parameters of an STS call, whichever body form carried them. */
export interface StsParams {
  grantType?: string;
  audience?: string;
  scope?: string;
  requestedTokenType?: string;
  subjectToken?: string;
  subjectTokenType?: string;
}

/** An exchange's outcome: the federated token, or the OAuth error Google answers with. */
export type StsOutcome =
  | { ok: true; token: GcpIssuedToken }
  | { ok: false; status: number; error: string; description: string; detail?: string };

const GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
const ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
const SUBJECT_TYPES = ["urn:ietf:params:oauth:token-type:jwt", "urn:ietf:params:oauth:token-type:id_token"];
const STS_DOC =
  "See https://cloud.google.com/iam/docs/reference/sts/rest/v1/TopLevel/token for the list of possible formats.";
const LIFETIME_SEC = 3600;

const fail = (error: string, description: string, detail?: string): StsOutcome => ({
  ok: false,
  status: 400,
  error,
  description,
  ...(detail ? { detail } : {}),
});

type Mapped = Record<string, string | string[]>;

function mapAttributes(
  p: WorkloadIdentityProvider,
  claims: Record<string, unknown>,
): { mapped: Mapped } | { error: StsOutcome } {
  const out: Mapped = {};
  for (const [key, expr] of Object.entries(p.attributeMapping)) {
    let v: unknown;
    try {
      v = evalCel(parseCel(expr), { assertion: claims });
    } catch (e) {
      const msg = e instanceof CelEvalError ? e.message : String(e);
      return {
        error: fail(
          "invalid_grant",
          `The attribute mapping for '${key}' (${expr}) failed to evaluate: ${msg}.`,
        ),
      };
    }
    if (key === "google.groups" && Array.isArray(v) && v.every((g) => typeof g === "string"))
      out[key] = v as string[];
    else if (typeof v === "string") out[key] = v;
    else
      return {
        error: fail("invalid_grant", `The attribute mapping for '${key}' (${expr}) must produce a string.`),
      };
  }
  const subject = out["google.subject"];
  if (typeof subject !== "string" || subject === "")
    return { error: fail("invalid_grant", "The mapped attribute google.subject must not be empty.") };
  if (Buffer.byteLength(subject) > 127)
    return {
      error: fail(
        "invalid_request",
        `The mapped google.subject is ${Buffer.byteLength(subject)} bytes; at most 127 are allowed.`,
      ),
    };
  const size = Object.entries(out).reduce(
    (n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(JSON.stringify(v)),
    0,
  );
  if (size > 8192)
    return {
      error: fail("invalid_grant", `The mapped attributes total ${size} bytes; at most 8 KB are allowed.`),
    };
  return { mapped: out };
}

function conditionHolds(
  p: WorkloadIdentityProvider,
  claims: Record<string, unknown>,
  mapped: Mapped,
): string | undefined {
  if (!p.attributeCondition) return undefined;
  const attribute: Record<string, unknown> = {};
  const google: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(mapped)) {
    if (k.startsWith("attribute.")) attribute[k.slice("attribute.".length)] = v;
    else google[k.slice("google.".length)] = v;
  }
  try {
    const v = evalCel(parseCel(p.attributeCondition), { assertion: claims, attribute, google });
    if (v === true) return undefined;
    return v === false ? "the condition evaluated to false" : "the condition did not evaluate to a bool";
  } catch (e) {
    return `the condition failed to evaluate: ${e instanceof Error ? e.message : String(e)}`;
  }
}

function checkTimes(claims: Record<string, unknown>, now: Date): StsOutcome | undefined {
  const sec = Math.floor(now.getTime() / 1000);
  const { exp, iat, nbf } = claims;
  if (typeof exp !== "number" || typeof iat !== "number")
    return fail("invalid_grant", "The ID Token must carry numeric exp and iat claims.");
  const iso = (s: number): string => new Date(s * 1000).toISOString();
  if (exp <= sec)
    return fail(
      "invalid_grant",
      `The ID Token expired at ${iso(exp)}; the current time is ${now.toISOString()}.`,
    );
  if (typeof nbf === "number" && nbf > sec)
    return fail(
      "invalid_grant",
      `The ID Token is not valid before ${iso(nbf)}; the current time is ${now.toISOString()}.`,
    );
  if (iat > sec + 300)
    return fail("invalid_grant", `The ID Token was issued in the future (iat ${iso(iat)}).`);
  if (exp - iat > 86400)
    return fail("invalid_grant", "The ID Token's lifetime (exp - iat) must be at most 24 hours.");
  return undefined;
}

/** Exchanges a subject JWT for a federated token the way `sts.googleapis.com/v1/token` does. */
export async function exchangeToken(
  params: StsParams,
  findProvider: (name: string) => WorkloadIdentityProvider | undefined,
  now: Date,
  gkeClusters: readonly GkeCluster[] = [],
): Promise<StsOutcome> {
  if (params.grantType !== GRANT)
    return fail("unsupported_grant_type", `Invalid value for "grant_type". Expected ${GRANT}.`);
  if (!params.subjectTokenType || !SUBJECT_TYPES.includes(params.subjectTokenType))
    return fail(
      "invalid_request",
      `Invalid value for "subject_token_type". Accepted: ${SUBJECT_TYPES.join(", ")}.`,
    );
  if (params.requestedTokenType !== undefined && params.requestedTokenType !== ACCESS_TOKEN)
    return fail("invalid_request", `Invalid value for "requested_token_type". Expected ${ACCESS_TOKEN}.`);
  const audience = params.audience ?? "";
  if (isGkeAudience(audience)) {
    if (!params.subjectToken) return fail("invalid_request", 'The "subject_token" parameter is required.');
    const out = await exchangeGke(audience, params.subjectToken, params.scope ?? "", gkeClusters, now);
    return out.ok ? out : fail(out.error, out.description, out.detail);
  }
  if (!audience.startsWith("//iam.googleapis.com/"))
    return fail(
      "invalid_request",
      `Invalid value for "audience". This value should be the full resource name of the Identity Provider. ${STS_DOC}`,
    );
  const name = audience.slice("//iam.googleapis.com/".length);
  const provider = findProvider(name);
  if (!provider || provider.disabled || provider.state !== "ACTIVE")
    return fail(
      "invalid_target",
      'The target service indicated by the "audience" parameters is invalid. This might either be because the pool or provider is disabled or deleted or because it doesn\'t exist.',
    );
  if (!params.subjectToken) return fail("invalid_request", 'The "subject_token" parameter is required.');
  const peek = peekClaims(params.subjectToken);
  if (!peek) return fail("invalid_grant", "Unable to parse the ID Token.");
  if (peek.iss !== provider.oidc.issuerUri)
    return fail(
      "invalid_grant",
      `The issuer in ID Token ${String(peek.iss)} does not match the expected ISS ${provider.oidc.issuerUri}.`,
    );
  const verified = await verifyAssertion(
    params.subjectToken,
    provider.oidc.issuerUri,
    provider.oidc.jwksJson,
  );
  if (!verified.ok)
    return verified.reason === "keys-unavailable"
      ? fail(
          "invalid_grant",
          `Unable to retrieve the public keys of issuer ${provider.oidc.issuerUri}: ${verified.detail}.`,
        )
      : fail("invalid_grant", `The ID Token signature could not be verified: ${verified.detail}.`);
  const claims = verified.claims;
  const timeError = checkTimes(claims, now);
  if (timeError) return timeError;
  const expected = provider.oidc.allowedAudiences ?? [
    `//iam.googleapis.com/${name}`,
    `https://iam.googleapis.com/${name}`,
  ];
  const got = audiences(claims);
  if (!got.some((a) => expected.includes(a)))
    return fail(
      "invalid_grant",
      `The audience in ID Token [${got.join(", ")}] does not match the expected audience ${expected.join(" or ")}.`,
    );
  const mapping = mapAttributes(provider, claims);
  if ("error" in mapping) return mapping.error;
  const attributes = mapping.mapped;
  const rejected = conditionHolds(provider, claims, attributes);
  if (rejected)
    return fail(
      "unauthorized_client",
      "The given credential is rejected by the attribute condition.",
      rejected,
    );
  const { principal, principalSets } = federatedPrincipals(name, attributes);
  return {
    ok: true,
    token: {
      kind: "federated",
      token: opaqueToken("ya29.d.sim-federated-"),
      issuedAt: now,
      expiresAt: new Date(now.getTime() + LIFETIME_SEC * 1000),
      scopes: (params.scope ?? "").split(/\s+/).filter(Boolean),
      provider: name,
      subject: attributes["google.subject"] as string,
      attributes,
      principal,
      principalSets,
    },
  };
}
