/** One claim a workload's token must carry: exactly a value, or a value starting with a prefix. */
export interface ClaimConstraint {
  claim: string;
  equals?: string;
  prefix?: string;
}

/**
 * What a workload's token must prove: issued by `issuer` for `audience`, with these claims. A
 * workload is a set of claims from one OIDC issuer; nothing here is specific to GitHub.
 */
export interface TrustRule {
  workload: string;
  issuer: string;
  claims: ClaimConstraint[];
}

/** The outcome of checking a token's claims against a rule: ok, or the first claim that did not match. */
export type ClaimCheck =
  { ok: true } | { ok: false; claim: string; expected: string; actual: string | undefined; message: string };

/** Checks claims against a rule at `now` for `audience`; pure, and costs microseconds. */
export function checkClaims(
  rule: TrustRule,
  claims: Record<string, unknown>,
  audience: string,
  now: Date,
): ClaimCheck {
  const str = (k: string) => (claims[k] === undefined || claims[k] === null ? undefined : String(claims[k]));
  const fail = (claim: string, expected: string, actual: string | undefined, why: string): ClaimCheck => ({
    ok: false,
    claim,
    expected,
    actual,
    message: `claim ${claim} ${why}: expected ${expected}, got ${actual === undefined ? "nothing" : JSON.stringify(actual)} (workload ${rule.workload})`,
  });
  if (str("iss") !== rule.issuer) return fail("iss", rule.issuer, str("iss"), "names another issuer");
  const aud = claims.aud;
  const auds = Array.isArray(aud) ? aud.map(String) : aud === undefined ? [] : [String(aud)];
  if (!auds.includes(audience)) return fail("aud", audience, auds.join(","), "is for another audience");
  const exp = Number(claims.exp);
  if (!Number.isFinite(exp) || exp * 1000 <= now.getTime())
    return fail("exp", `after ${now.toISOString()}`, str("exp"), "shows the token expired");
  const nbf = claims.nbf === undefined ? undefined : Number(claims.nbf);
  if (nbf !== undefined && nbf * 1000 > now.getTime() + 60_000)
    return fail("nbf", `before ${now.toISOString()}`, str("nbf"), "is in the future");
  for (const c of rule.claims) {
    const actual = str(c.claim);
    if (c.equals !== undefined && actual !== c.equals)
      return fail(c.claim, JSON.stringify(c.equals), actual, "does not match");
    if (c.prefix !== undefined && !(actual ?? "").startsWith(c.prefix))
      return fail(c.claim, `a value starting ${JSON.stringify(c.prefix)}`, actual, "does not match");
  }
  return { ok: true };
}
