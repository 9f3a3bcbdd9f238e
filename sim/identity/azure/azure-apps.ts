import { randomUUID } from "node:crypto";

/** A federated identity credential as Graph returns it. */
export interface FederatedIdentityCredential {
  id: string;
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
  description?: string | null;
}

/** An app registration with its federated credentials. */
export interface AzureApp {
  tenantId: string;
  clientId: string;
  objectId: string;
  displayName: string;
  federatedIdentityCredentials: FederatedIdentityCredential[];
}

/** An Entra access token the sim issued, and which credential admitted it. */
export interface AzureIssuedToken {
  token: string;
  tenantId: string;
  clientId: string;
  scope: string;
  issuedAt: Date;
  expiresAt: Date;
  /** Name of the federated credential that matched. */
  credential: string;
  subject: string;
}

/** A Graph refusal: `{error: {code, message, innerError}}`. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "GraphError";
  }
}

const MAX_CREDENTIALS = 20;

function check(fic: Omit<FederatedIdentityCredential, "id">): void {
  const bad = (m: string): never => {
    throw new GraphError(400, "Request_BadRequest", m);
  };
  if (typeof fic.name !== "string" || fic.name.length < 3 || fic.name.length > 120)
    bad(
      "Invalid value specified for property 'name' of resource 'FederatedIdentityCredential': it must be 3 to 120 characters.",
    );
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(fic.name))
    bad(
      "Invalid value specified for property 'name' of resource 'FederatedIdentityCredential': use letters, digits, '-' and '_' only, starting with a letter or digit.",
    );
  if (typeof fic.issuer !== "string" || fic.issuer === "" || fic.issuer.length > 600)
    bad(
      "Invalid value specified for property 'issuer' of resource 'FederatedIdentityCredential': a URL of at most 600 characters is required.",
    );
  if (typeof fic.subject !== "string" || fic.subject === "" || fic.subject.length > 600)
    bad(
      "Invalid value specified for property 'subject' of resource 'FederatedIdentityCredential': at most 600 characters, required.",
    );
  if (/[*?]/.test(fic.subject))
    bad(
      "Invalid value specified for property 'subject': wildcards are not supported; the subject must match the token's sub exactly.",
    );
  if (
    !Array.isArray(fic.audiences) ||
    fic.audiences.length !== 1 ||
    typeof fic.audiences[0] !== "string" ||
    fic.audiences[0].length > 600
  )
    bad(
      "Invalid value specified for property 'audiences' of resource 'FederatedIdentityCredential': exactly one audience is required (api://AzureADTokenExchange).",
    );
}

/** App registrations, their federated credentials, and the tokens Entra issued for them. */
export class AzureApps {
  /** Milliseconds before a new credential is honoured by the token endpoint. */
  propagationMs = 0;
  /** Milliseconds a credential write holds its app (concurrent writes get 409). */
  writeLatencyMs = 25;
  private readonly apps = new Map<string, AzureApp>();
  private readonly createdAt = new Map<string, number>();
  private readonly busy = new Set<string>();
  private readonly tokens: AzureIssuedToken[] = [];

  constructor(private readonly clock: () => Date) {}

  /** Registers an app. */
  createApp(a: { tenantId: string; clientId: string; objectId: string; displayName?: string }): void {
    if (this.apps.has(a.objectId)) throw new Error(`sim: app ${a.objectId} already exists`);
    this.apps.set(a.objectId, {
      ...a,
      displayName: a.displayName ?? a.clientId,
      federatedIdentityCredentials: [],
    });
  }

  /** A copy of the app with this object id. */
  app(objectId: string): AzureApp | undefined {
    const a = this.apps.get(objectId);
    return a ? structuredClone(a) : undefined;
  }

  /** Whether any app lives in the tenant. */
  hasTenant(tenantId: string): boolean {
    return [...this.apps.values()].some((a) => a.tenantId === tenantId);
  }

  /** The app with this client id in the tenant (live object). */
  /** The app with this client id in any tenant (Graph's `applications(appId='…')`). */
  byAnyClientId(clientId: string): AzureApp | undefined {
    return [...this.apps.values()].find((a) => a.clientId === clientId);
  }

  byClientId(tenantId: string, clientId: string): AzureApp | undefined {
    return [...this.apps.values()].find((a) => a.tenantId === tenantId && a.clientId === clientId);
  }

  /** Credentials the token endpoint honours now (propagation delay applied). */
  effectiveCredentials(app: AzureApp): FederatedIdentityCredential[] {
    const now = this.clock().getTime();
    return app.federatedIdentityCredentials.filter(
      (f) => (this.createdAt.get(f.id) ?? 0) + this.propagationMs <= now,
    );
  }

  private live(objectId: string): AzureApp {
    const a = this.apps.get(objectId);
    if (!a)
      throw new GraphError(
        404,
        "Request_ResourceNotFound",
        `Resource '${objectId}' does not exist or one of its queried reference-property objects are not present.`,
      );
    return a;
  }

  /** Graph's list of an app's credentials. */
  listCredentials(objectId: string): FederatedIdentityCredential[] {
    return structuredClone(this.live(objectId).federatedIdentityCredentials);
  }

  /** One credential by id. */
  getCredential(objectId: string, id: string): FederatedIdentityCredential {
    const f = this.live(objectId).federatedIdentityCredentials.find((c) => c.id === id);
    if (!f)
      throw new GraphError(
        404,
        "Request_ResourceNotFound",
        `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
      );
    return structuredClone(f);
  }

  /** Adds a credential after Graph's checks (length, one audience, uniqueness, at most 20). */
  addCredential(objectId: string, fic: Omit<FederatedIdentityCredential, "id">): FederatedIdentityCredential {
    const app = this.live(objectId);
    check(fic);
    const list = app.federatedIdentityCredentials;
    if (list.some((c) => c.name === fic.name))
      throw new GraphError(
        409,
        "Request_MultipleObjectsWithSameKeyValue",
        `FederatedIdentityCredential with name ${fic.name} already exists.`,
      );
    if (list.some((c) => c.issuer === fic.issuer && c.subject === fic.subject))
      throw new GraphError(
        409,
        "Request_MultipleObjectsWithSameKeyValue",
        `FederatedIdentityCredential with the same issuer and subject already exists on this application.`,
      );
    if (list.length >= MAX_CREDENTIALS)
      throw new GraphError(
        400,
        "Request_BadRequest",
        `The application already has the maximum of ${MAX_CREDENTIALS} federated identity credentials.`,
      );
    const created: FederatedIdentityCredential = {
      id: randomUUID(),
      name: fic.name,
      issuer: fic.issuer,
      subject: fic.subject,
      audiences: [...fic.audiences],
      description: fic.description ?? null,
    };
    list.push(created);
    this.createdAt.set(created.id, this.clock().getTime());
    return structuredClone(created);
  }

  /** Updates issuer, subject, audiences or description; `name` is immutable. */
  updateCredential(objectId: string, id: string, patch: Record<string, unknown>): void {
    const app = this.live(objectId);
    const f = app.federatedIdentityCredentials.find((c) => c.id === id);
    if (!f)
      throw new GraphError(
        404,
        "Request_ResourceNotFound",
        `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
      );
    if ("name" in patch && patch.name !== f.name)
      throw new GraphError(
        400,
        "Request_BadRequest",
        "Property 'name' is read-only and cannot be changed once the federated identity credential is created.",
      );
    const next = { ...f, ...patch, id: f.id, name: f.name } as FederatedIdentityCredential;
    check(next);
    Object.assign(f, next);
    this.createdAt.set(f.id, this.clock().getTime());
  }

  /** Deletes a credential. */
  deleteCredential(objectId: string, id: string): void {
    const app = this.live(objectId);
    const i = app.federatedIdentityCredentials.findIndex((c) => c.id === id);
    if (i < 0)
      throw new GraphError(
        404,
        "Request_ResourceNotFound",
        `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
      );
    app.federatedIdentityCredentials.splice(i, 1);
  }

  /** Runs a credential write holding the app for `writeLatencyMs`; a concurrent write gets 409. */
  async exclusive<T>(objectId: string, write: () => T): Promise<T> {
    this.live(objectId);
    if (this.busy.has(objectId))
      throw new GraphError(
        409,
        "ConcurrentFederatedIdentityCredentialsWrites",
        `Too many federated identity credentials are written concurrently for the application '${objectId}'. Concurrent writes under the same application are not supported; write them one at a time.`,
      );
    this.busy.add(objectId);
    try {
      if (this.writeLatencyMs > 0) await new Promise((r) => setTimeout(r, this.writeLatencyMs));
      return write();
    } finally {
      this.busy.delete(objectId);
    }
  }

  /** Records an issued token. */
  recordToken(t: AzureIssuedToken): void {
    this.tokens.push(t);
  }

  /** Copies of every issued token. */
  issued(): AzureIssuedToken[] {
    return this.tokens.map((t) => ({ ...t }));
  }
}
