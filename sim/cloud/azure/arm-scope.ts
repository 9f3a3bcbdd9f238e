/** Normalises an ARM scope: one leading slash, no doubled or trailing slashes (`/subscriptions/s/resourceGroups/rg`). */
export function normalizeScope(scope: string): string {
  const s = `/${scope}`.replace(/\/{2,}/g, "/").replace(/\/$/, "");
  return s === "" ? "/" : s;
}

/** True when an assignment at `outer` covers `inner` (same scope or an ancestor; case-insensitive). */
export function scopeCovers(outer: string, inner: string): boolean {
  const o = normalizeScope(outer).toLowerCase();
  const i = normalizeScope(inner).toLowerCase();
  return o === "/" || o === i || i.startsWith(`${o}/`);
}

/** The subscription id of a scope, if it is at or below a subscription. */
export function subscriptionOf(scope: string): string | undefined {
  return /^\/subscriptions\/([^/]+)/i.exec(normalizeScope(scope))?.[1];
}

/** True for scopes ARM accepts here: `/`, subscriptions and below, management groups. */
export function isValidScope(scope: string): boolean {
  const s = normalizeScope(scope);
  return (
    s === "/" ||
    /^\/subscriptions\/[^/]+(\/resourceGroups\/[^/]+(\/providers\/.+)?)?$/i.test(s) ||
    /^\/providers\/Microsoft\.Management\/managementGroups\/[^/]+$/i.test(s)
  );
}
