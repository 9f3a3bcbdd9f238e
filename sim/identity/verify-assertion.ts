import { compactVerify, createLocalJWKSet, decodeJwt, decodeProtectedHeader, type JSONWebKeySet } from "jose";

/** Why an assertion was not accepted, as data. */
export type AssertionCheck =
  | { ok: true; claims: Record<string, unknown> }
  | { ok: false; reason: "malformed" | "keys-unavailable" | "signature"; detail: string };

/** Claims of a JWT without verifying it, or undefined when it does not parse. */
export function peekClaims(jwt: string): Record<string, unknown> | undefined {
  try {
    decodeProtectedHeader(jwt);
    return decodeJwt(jwt) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

// The sim fetches keys the way Google and Entra do (discovery, then jwks_uri), but only from loopback: tests run
// without network, and an issuer it cannot reach is refused rather than trusted.
function isLoopback(url: string): boolean {
  try {
    const u = new URL(url);
    return (
      (u.protocol === "http:" || u.protocol === "https:") &&
      (u.hostname === "127.0.0.1" || u.hostname === "localhost")
    );
  } catch {
    return false;
  }
}

/** Fetches an issuer's JWKS through its discovery document; undefined with a reason when that fails. */
export async function fetchIssuerKeys(issuer: string): Promise<{ keys?: JSONWebKeySet; error?: string }> {
  if (!isLoopback(issuer))
    return { error: `the issuer ${issuer} is not reachable from the simulator (loopback only)` };
  try {
    const disco = await fetch(`${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`);
    if (!disco.ok) return { error: `the issuer's discovery document answered HTTP ${disco.status}` };
    const doc = (await disco.json()) as { jwks_uri?: unknown; issuer?: unknown };
    if (doc.issuer !== issuer)
      return { error: `the discovery document names issuer ${String(doc.issuer)}, not ${issuer}` };
    if (typeof doc.jwks_uri !== "string" || !isLoopback(doc.jwks_uri))
      return { error: "the discovery document has no usable jwks_uri" };
    const res = await fetch(doc.jwks_uri);
    if (!res.ok) return { error: `the issuer's JWKS answered HTTP ${res.status}` };
    return { keys: (await res.json()) as JSONWebKeySet };
  } catch (err) {
    return {
      error: `fetching the issuer's keys failed: ${err instanceof Error ? err.message : String(err)}`,
    };
  }
}

/**
 * Verifies an RS256 JWT's signature against its issuer's published keys, or against `jwksJson` when
 * the keys were uploaded (a private issuer). Times and audience are the caller's to check.
 */
export async function verifyAssertion(
  jwt: string,
  issuer: string,
  jwksJson?: string,
): Promise<AssertionCheck> {
  let alg: string | undefined;
  try {
    alg = decodeProtectedHeader(jwt).alg;
  } catch {
    return { ok: false, reason: "malformed", detail: "the token is not a JWS compact serialization" };
  }
  if (alg !== "RS256")
    return { ok: false, reason: "signature", detail: `unsupported signing algorithm ${String(alg)}` };
  const { keys, error } = jwksJson !== undefined ? parseKeys(jwksJson) : await fetchIssuerKeys(issuer);
  if (!keys) return { ok: false, reason: "keys-unavailable", detail: error ?? "no keys" };
  try {
    const { payload } = await compactVerify(jwt, createLocalJWKSet(keys), { algorithms: ["RS256"] });
    const claims: unknown = JSON.parse(new TextDecoder().decode(payload));
    if (typeof claims !== "object" || claims === null || Array.isArray(claims))
      return { ok: false, reason: "malformed", detail: "the payload is not a JSON object" };
    return { ok: true, claims: claims as Record<string, unknown> };
  } catch (err) {
    return { ok: false, reason: "signature", detail: err instanceof Error ? err.message : String(err) };
  }
}

function parseKeys(jwksJson: string): { keys?: JSONWebKeySet; error?: string } {
  try {
    const keys = JSON.parse(jwksJson) as JSONWebKeySet;
    return Array.isArray(keys.keys) ? { keys } : { error: "the uploaded JWKS has no keys list" };
  } catch {
    return { error: "the uploaded JWKS is not JSON" };
  }
}

/** The audiences of a token (`aud` may be a string or a list). */
export function audiences(claims: Record<string, unknown>): string[] {
  const aud = claims.aud;
  if (typeof aud === "string") return [aud];
  return Array.isArray(aud) ? aud.filter((a): a is string => typeof a === "string") : [];
}
