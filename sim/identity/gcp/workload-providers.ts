import { parseCel, CelSyntaxError } from "./cel-parse.js";
import { GcpError } from "../../shared/gcp-error.js";

/** An OIDC workload identity pool provider as IAM v1 serialises it. */
export interface WorkloadIdentityProvider {
  name: string;
  displayName?: string;
  description?: string;
  state: "ACTIVE" | "DELETED";
  disabled: boolean;
  attributeMapping: Record<string, string>;
  attributeCondition?: string;
  oidc: { issuerUri: string; allowedAudiences?: string[]; jwksJson?: string };
}

/** What creating or seeding a provider takes. */
export interface ProviderSpec {
  issuerUri: string;
  attributeMapping: Record<string, string>;
  attributeCondition?: string;
  allowedAudiences?: string[];
  /** Uploaded keys of a private issuer (a JWKS as a JSON string); tokens are verified with them, not fetched ones. */
  jwksJson?: string;
  displayName?: string;
  disabled?: boolean;
}

const NAME =
  /^projects\/([^/]+)\/locations\/global\/workloadIdentityPools\/([a-z0-9-]{4,32})\/providers\/([a-z0-9-]{4,32})$/;
const KEY = /^(google\.(subject|groups|display_name|profile_photo)|attribute\.[a-z_][a-z0-9_]{0,99})$/;

/** Project number, pool and provider ids of a provider resource name; throws 400 when malformed. */
export function parseProviderName(name: string): { project: string; pool: string; provider: string } {
  const m = NAME.exec(name);
  if (!m)
    throw new GcpError(
      400,
      `Invalid provider name '${name}'; expected projects/NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER (ids 4-32 of [a-z0-9-]).`,
    );
  return { project: m[1] ?? "", pool: m[2] ?? "", provider: m[3] ?? "" };
}

/** The pool resource name (`projects/N/locations/global/workloadIdentityPools/P`) of a provider. */
export function poolOf(name: string): string {
  return name.replace(/\/providers\/[^/]+$/, "");
}

function isGitHubIssuer(issuerUri: string, simIssuer: string): boolean {
  return (
    issuerUri === simIssuer ||
    /^https:\/\/token\.actions\.[^/]+/.test(issuerUri) ||
    issuerUri.endsWith("/_services/token")
  );
}

/** Checks a provider against IAM's documented limits; throws GcpError 400 naming the rule broken. */
export function validateProvider(spec: ProviderSpec, simIssuer: string): void {
  const mapping = spec.attributeMapping ?? {};
  if (!spec.issuerUri || !/^https?:\/\//.test(spec.issuerUri))
    throw new GcpError(400, "oidc.issuerUri must be an http(s) URL.");
  if (!("google.subject" in mapping))
    throw new GcpError(400, "attribute_mapping must contain a mapping for google.subject.");
  for (const [key, expr] of Object.entries(mapping)) {
    if (!KEY.test(key))
      throw new GcpError(
        400,
        `Invalid attribute_mapping key '${key}'; accepted: google.subject, google.groups, google.display_name, attribute.NAME ([a-z_][a-z0-9_]*).`,
      );
    if (typeof expr !== "string" || expr.length > 2048)
      throw new GcpError(
        400,
        `The attribute mapping expression for '${key}' must be a string of at most 2048 characters.`,
      );
    try {
      parseCel(expr);
    } catch (e) {
      if (e instanceof CelSyntaxError)
        throw new GcpError(400, `Invalid attribute mapping expression for '${key}': ${e.message}.`);
      throw e;
    }
  }
  const cond = spec.attributeCondition;
  if ((cond === undefined || cond.trim() === "") && isGitHubIssuer(spec.issuerUri, simIssuer))
    throw new GcpError(
      400,
      "The attribute condition must be set for providers of the GitHub Actions issuer; it must reference the assertion's claims (e.g. assertion.repository_owner_id == '...').",
    );
  if (cond !== undefined && cond.trim() !== "") {
    if (cond.length > 4096)
      throw new GcpError(
        400,
        `The attribute condition is ${cond.length} characters; at most 4096 are allowed.`,
      );
    try {
      parseCel(cond);
    } catch (e) {
      if (e instanceof CelSyntaxError) throw new GcpError(400, `Invalid attribute condition: ${e.message}.`);
      throw e;
    }
  }
  if (spec.jwksJson !== undefined) {
    let keys: unknown;
    try {
      keys = JSON.parse(spec.jwksJson);
    } catch {
      throw new GcpError(400, "oidc.jwksJson must be a JWKS as a JSON string.");
    }
    if (!Array.isArray((keys as { keys?: unknown } | null)?.keys))
      throw new GcpError(400, "oidc.jwksJson must be a JWKS: an object with a keys list.");
  }
  for (const a of spec.allowedAudiences ?? [])
    if (typeof a !== "string" || a === "")
      throw new GcpError(400, "allowedAudiences must be non-empty strings.");
  if ((spec.allowedAudiences ?? []).length > 10)
    throw new GcpError(400, "At most 10 allowedAudiences are allowed.");
}

/** The workload identity pool providers the simulated IAM holds. */
export class WorkloadProviders {
  private readonly byName = new Map<string, WorkloadIdentityProvider>();

  constructor(private readonly simIssuer: () => string) {}

  /** Creates a provider (its pool implicitly); 409 when it exists. */
  create(name: string, spec: ProviderSpec): WorkloadIdentityProvider {
    parseProviderName(name);
    if (this.byName.has(name)) throw new GcpError(409, `Requested entity already exists: ${name}`);
    validateProvider(spec, this.simIssuer());
    const p: WorkloadIdentityProvider = {
      name,
      ...(spec.displayName ? { displayName: spec.displayName } : {}),
      state: "ACTIVE",
      disabled: spec.disabled ?? false,
      attributeMapping: { ...spec.attributeMapping },
      ...(spec.attributeCondition ? { attributeCondition: spec.attributeCondition } : {}),
      oidc: {
        issuerUri: spec.issuerUri,
        ...(spec.allowedAudiences?.length ? { allowedAudiences: [...spec.allowedAudiences] } : {}),
        ...(spec.jwksJson ? { jwksJson: spec.jwksJson } : {}),
      },
    };
    this.byName.set(name, p);
    return structuredClone(p);
  }

  /** A copy of a provider, or undefined. */
  get(name: string): WorkloadIdentityProvider | undefined {
    const p = this.byName.get(name);
    return p ? structuredClone(p) : undefined;
  }

  /** Applies the fields named in `updateMask` (camelCase or snake_case, comma-separated) after validation. */
  patch(name: string, body: Record<string, unknown>, updateMask: string): WorkloadIdentityProvider {
    const current = this.byName.get(name);
    if (!current) throw new GcpError(404, `Requested entity was not found. Provider ${name} does not exist.`);
    const paths = updateMask
      .split(",")
      .map((s) => s.trim().replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()))
      .filter(Boolean);
    if (paths.length === 0) throw new GcpError(400, "update_mask must name at least one field.");
    const next = structuredClone(current);
    const oidc = (body.oidc ?? {}) as Record<string, unknown>;
    for (const path of paths) {
      if (path === "attributeCondition") {
        if (body.attributeCondition === undefined || body.attributeCondition === "")
          delete next.attributeCondition;
        else next.attributeCondition = String(body.attributeCondition);
      } else if (path === "attributeMapping")
        next.attributeMapping = { ...((body.attributeMapping ?? {}) as Record<string, string>) };
      else if (path === "displayName") next.displayName = String(body.displayName ?? "");
      else if (path === "description") next.description = String(body.description ?? "");
      else if (path === "disabled") next.disabled = body.disabled === true;
      else if (path === "oidc.allowedAudiences" || path === "oidc") {
        const aud = oidc.allowedAudiences;
        next.oidc.allowedAudiences = Array.isArray(aud) ? aud.map(String) : [];
        if (path === "oidc" && typeof oidc.issuerUri === "string") next.oidc.issuerUri = oidc.issuerUri;
      } else if (path === "oidc.issuerUri") next.oidc.issuerUri = String(oidc.issuerUri ?? "");
      else if (path === "oidc.jwksJson") {
        if (typeof oidc.jwksJson === "string" && oidc.jwksJson !== "") next.oidc.jwksJson = oidc.jwksJson;
        else delete next.oidc.jwksJson;
      } else
        throw new GcpError(
          400,
          `Invalid update_mask path '${path}'; accepted: attributeCondition, attributeMapping, displayName, description, disabled, oidc.issuerUri, oidc.allowedAudiences, oidc.jwksJson.`,
        );
    }
    if (next.oidc.allowedAudiences?.length === 0) delete next.oidc.allowedAudiences;
    validateProvider(
      {
        issuerUri: next.oidc.issuerUri,
        attributeMapping: next.attributeMapping,
        attributeCondition: next.attributeCondition,
        allowedAudiences: next.oidc.allowedAudiences,
        jwksJson: next.oidc.jwksJson,
      },
      this.simIssuer(),
    );
    this.byName.set(name, next);
    return structuredClone(next);
  }

  /** Every provider (copies). */
  all(): WorkloadIdentityProvider[] {
    return [...this.byName.values()].map((p) => structuredClone(p));
  }
}
