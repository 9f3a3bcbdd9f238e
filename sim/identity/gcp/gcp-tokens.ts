import { randomBytes } from "node:crypto";

/** A token the simulated GCP issued: a federated token from STS or a service-account token from IAM Credentials. */
export interface GcpIssuedToken {
  kind: "federated" | "service-account";
  token: string;
  issuedAt: Date;
  expiresAt: Date;
  scopes: string[];
  /** Federated: the provider resource name that admitted the credential. */
  provider?: string;
  /** Federated: the mapped `google.subject`. */
  subject?: string;
  /** Federated: every mapped attribute (`google.subject`, `attribute.repository_id`, ...). */
  attributes?: Record<string, string | string[]>;
  /** Federated: `principal://iam.googleapis.com/.../subject/SUB`. */
  principal?: string;
  /** Federated: every `principalSet://` the identity belongs to (per attribute value, groups, and the pool's `*`). */
  principalSets?: string[];
  /** Service-account token: whose, and which federated principal obtained it. */
  serviceAccount?: string;
  obtainedBy?: string;
}

/** Opaque token text in Google's style (the sim never signs access tokens: nothing should parse them). */
export function opaqueToken(prefix: string): string {
  return `${prefix}${randomBytes(48).toString("base64url")}`;
}

/** The identities a federated token stands for, in IAM member syntax. */
export function federatedPrincipals(
  providerName: string,
  attributes: Record<string, string | string[]>,
): { principal: string; principalSets: string[] } {
  const pool = providerName.replace(/\/providers\/[^/]+$/, "");
  const base = `//iam.googleapis.com/${pool}`;
  const sets = [`principalSet:${base}/*`];
  for (const [key, value] of Object.entries(attributes)) {
    if (key.startsWith("attribute.") && typeof value === "string")
      sets.push(`principalSet:${base}/${key}/${value}`);
    if (key === "google.groups")
      for (const g of Array.isArray(value) ? value : [value]) sets.push(`principalSet:${base}/group/${g}`);
  }
  return {
    principal: `principal:${base}/subject/${String(attributes["google.subject"])}`,
    principalSets: sets,
  };
}

/** Every token the simulated GCP issued, looked up by its text. */
export class GcpTokens {
  private readonly list: GcpIssuedToken[] = [];

  /** Records an issued token. */
  add(t: GcpIssuedToken): void {
    this.list.push(t);
  }

  /** The unexpired token with this text at `now`, if any. */
  valid(token: string, now: Date): GcpIssuedToken | undefined {
    return this.list.find((t) => t.token === token && t.expiresAt.getTime() > now.getTime());
  }

  /** Copies of every issued token, oldest first. */
  all(): GcpIssuedToken[] {
    return this.list.map((t) => structuredClone(t));
  }
}
