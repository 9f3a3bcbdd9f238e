import { randomBytes } from "node:crypto";
import { LoopbackSim } from "../shared/loopback-sim.js";
import type { IdentityFaultSpec } from "./faults.js";
import { createPlainServer, createTlsIdentityServer, type ServerDeps } from "./http-server.js";
import { createLoopbackCertificate } from "./self-signed-cert.js";
import type { IdentityCall, IdentityService, ServiceRoutes } from "./types.js";
import { OidcIssuer, type MintOptions } from "./issuer/oidc-issuer.js";
import { actionsRoutes, issuerRoutes, type CurrentJob } from "./issuer/issuer-routes.js";
import { ClusterIssuers, type PodTokenOptions } from "./issuer/cluster-issuers.js";
import { clusterRoutes } from "./issuer/cluster-routes.js";
import type { GkeCluster } from "./gcp/gke-exchange.js";
import { GcpTokens, type GcpIssuedToken } from "./gcp/gcp-tokens.js";
import { iamCredentialsRoutes } from "./gcp/iamcredentials-routes.js";
import { iamRoutes } from "./gcp/iam-routes.js";
import { ServiceAccountPolicies, type SaBinding, type SaPolicy } from "./gcp/sa-policies.js";
import { stsRoutes, type StsRejection } from "./gcp/sts-routes.js";
import {
  WorkloadProviders,
  type ProviderSpec,
  type WorkloadIdentityProvider,
} from "./gcp/workload-providers.js";
import {
  AzureApps,
  type AzureApp,
  type AzureIssuedToken,
  type FederatedIdentityCredential,
} from "./azure/azure-apps.js";
import { loginRoutes } from "./azure/login-routes.js";
import { graphRoutes } from "./azure/graph-routes.js";

/** Options of `createIdentitySim`. */
export interface IdentitySimOptions {
  /** Clock for every token time and expiry decision (default: the real clock). TLS validity uses the real clock. */
  clock?: () => Date;
}

/** Where each simulated service answers (all on 127.0.0.1). */
export interface IdentitySimUrls {
  /** OIDC issuer URL (`iss` of minted tokens); discovery at `${issuer}/.well-known/openid-configuration`. */
  issuer: string;
  /** `ACTIONS_ID_TOKEN_REQUEST_URL` for `@actions/core` `getIDToken` (already carries `?api-version=2.0`). */
  actionsIdTokenUrl: string;
  /** STS base: `POST ${sts}/v1/token` (the ADC file's `token_url`). */
  sts: string;
  /** IAM Credentials base: `${iamCredentials}/v1/projects/-/serviceAccounts/EMAIL:generateAccessToken`. */
  iamCredentials: string;
  /** IAM base: `${iam}/v1/projects/N/locations/global/workloadIdentityPools/P/providers/PR`, service-account policies. */
  iam: string;
  /** Entra authority host over TLS (`authorityHost` of @azure/identity); trust `tlsCertificate`. */
  azureLogin: string;
  /** The same login endpoints over plain HTTP (raw-HTTP tests). */
  azureLoginHttp: string;
  /** Microsoft Graph base: `${graph}/v1.0/applications/{objectId}/federatedIdentityCredentials`. */
  graph: string;
}

/** Embedded identity endpoints (GitHub OIDC issuer, GCP STS/IAM/IAM Credentials, Entra token and Graph) with a state API. */
export class IdentitySim extends LoopbackSim<IdentitySimUrls, IdentityFaultSpec, IdentityCall> {
  private readonly issuer: OidcIssuer;
  private readonly providers = new WorkloadProviders(() => this.urls.issuer);
  private readonly policies = new ServiceAccountPolicies();
  private readonly gcpTokens = new GcpTokens();
  private readonly rejections: StsRejection[] = [];
  private readonly clusters: ClusterIssuers;
  private readonly gkeClusters: GkeCluster[] = [];
  private readonly azure: AzureApps;
  private readonly requestToken = randomBytes(32).toString("base64url");
  private job: CurrentJob | undefined;
  private tls: { key: string; cert: string } | null = null;

  constructor(options: IdentitySimOptions = {}) {
    super(options.clock);
    this.issuer = new OidcIssuer(this.clock);
    this.clusters = new ClusterIssuers(this.clock);
    this.azure = new AzureApps(this.clock);
  }

  // ---- lifecycle ----

  /** Listens on two loopback ports (HTTP for everything, HTTPS for the Entra authority); resolves to the URLs. */
  protected async open(): Promise<IdentitySimUrls> {
    await this.issuer.init();
    const issuerUrl = (): string => this.urls.issuer;
    const routes: ServiceRoutes[] = [
      issuerRoutes(this.issuer, issuerUrl),
      clusterRoutes(this.clusters, (name) => this.clusterIssuer(name)),
      actionsRoutes(this.issuer, issuerUrl, { requestToken: this.requestToken, job: () => this.job }),
      stsRoutes({
        providers: this.providers,
        tokens: this.gcpTokens,
        rejections: this.rejections,
        clock: this.clock,
        gkeClusters: this.gkeClusters,
      }),
      iamCredentialsRoutes({ policies: this.policies, tokens: this.gcpTokens, clock: this.clock }),
      iamRoutes(this.providers, this.policies),
      graphRoutes(this.azure),
      loginRoutes(this.azure, this.clock),
    ];
    const deps: ServerDeps = { ...this.serverDeps, routes };
    this.tls = createLoopbackCertificate();
    const port = await this.listen(createPlainServer(deps));
    const tlsPort = await this.listen(createTlsIdentityServer(deps, this.tls));
    const base = `http://127.0.0.1:${port}`;
    return {
      issuer: `${base}/oidc`,
      actionsIdTokenUrl: `${base}/actions/id-token?api-version=2.0`,
      sts: `${base}/sts`,
      iamCredentials: `${base}/iamcredentials`,
      iam: `${base}/iam`,
      azureLogin: `https://127.0.0.1:${tlsPort}`,
      azureLoginHttp: base,
      graph: `${base}/graph`,
    };
  }

  /** PEM of the self-signed certificate the HTTPS port presents (trust it via `new https.Agent({ca})`). */
  get tlsCertificate(): string {
    if (!this.tls) throw new Error("sim: call start() first");
    return this.tls.cert;
  }

  // ---- OIDC issuer and Actions runtime ----

  /** Mints a GitHub Actions job token signed by the sim issuer; `claims` override GitHub's defaults. */
  async mintToken(opts: MintOptions): Promise<string> {
    return (await this.issuer.mint(this.urls.issuer, opts)).jwt;
  }

  /** Sets the job the Actions runtime endpoint answers for (`undefined` clears it). */
  setJob(job: CurrentJob | undefined): void {
    this.job = job ? structuredClone(job) : undefined;
  }

  /** The two variables a runner sets with `permissions: id-token: write`, pointing at the sim. */
  actionsEnv(): { ACTIONS_ID_TOKEN_REQUEST_URL: string; ACTIONS_ID_TOKEN_REQUEST_TOKEN: string } {
    return {
      ACTIONS_ID_TOKEN_REQUEST_URL: this.urls.actionsIdTokenUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: this.requestToken,
    };
  }

  /** Adds a new issuer signing key (tokens are signed with it from now on); returns its kid. */
  rotateIssuerKey(): Promise<string> {
    return this.issuer.rotateKey();
  }

  /** Stops publishing older issuer keys. */
  retireOldIssuerKeys(): void {
    this.issuer.retireOldKeys();
  }

  // ---- Kubernetes clusters ----

  /**
   * Creates a cluster whose API server issues projected service-account tokens; its issuer is
   * `clusterIssuer(name)`. A `private` cluster publishes no discovery document or JWKS (upload `clusterJwks`).
   */
  async createCluster(name: string, opts: { private?: boolean } = {}): Promise<string> {
    await this.clusters.create(name, opts);
    return this.clusterIssuer(name);
  }

  /** The issuer URL of a cluster (`iss` of its tokens): `${base}/k8s/<name>`. */
  clusterIssuer(name: string): string {
    return `${this.urls.issuer.replace(/\/oidc$/, "")}/k8s/${name}`;
  }

  /** The cluster's JWKS, as `kubectl get --raw /openid/v1/jwks` prints it. */
  clusterJwks(name: string): { keys: Record<string, unknown>[] } {
    return this.clusters.jwks(name) as { keys: Record<string, unknown>[] };
  }

  /** Mints the projected service-account token kubelet would mount in a pod. */
  async mintPodToken(opts: PodTokenOptions): Promise<string> {
    return (await this.clusters.mint(this.clusterIssuer(opts.cluster), opts)).jwt;
  }

  /** Enables Workload Identity Federation for GKE on a cluster: STS accepts its pods for `PROJECT.svc.id.goog`. */
  enableGkeWorkloadIdentity(cluster: string, gke: { project: string; projectNumber: number }): void {
    if (!this.clusters.has(cluster)) throw new Error(`sim: no cluster ${cluster}; call createCluster first`);
    this.gkeClusters.push({ ...gke, issuer: this.clusterIssuer(cluster) });
  }

  // ---- GCP ----

  /** Creates an OIDC provider (`projects/N/locations/global/workloadIdentityPools/P/providers/PR`); throws on what IAM refuses. */
  createWorkloadIdentityProvider(name: string, spec: ProviderSpec): WorkloadIdentityProvider {
    return this.providers.create(name, spec);
  }

  /** A provider's current configuration, or undefined. */
  workloadIdentityProvider(name: string): WorkloadIdentityProvider | undefined {
    return this.providers.get(name);
  }

  /** Makes a service account exist (idempotent). */
  createServiceAccount(email: string): void {
    this.policies.create(email);
  }

  /** Whether the service account exists. */
  hasServiceAccount(email: string): boolean {
    return this.policies.has(email);
  }

  /** A service account's IAM policy (etag included). */
  serviceAccountPolicy(email: string): SaPolicy {
    return this.policies.read(email);
  }

  /** Replaces a service account's bindings without an etag (seeding); creates the account. */
  setServiceAccountPolicy(email: string, bindings: SaBinding[]): SaPolicy {
    this.policies.create(email);
    return this.policies.write(email, { bindings });
  }

  /** Every token STS and IAM Credentials issued, oldest first. */
  gcpIssuedTokens(): GcpIssuedToken[] {
    return this.gcpTokens.all();
  }

  /** Every STS refusal with the sim's reason (`detail` says which check failed where Google's body does not). */
  stsRejections(): StsRejection[] {
    return this.rejections.map((r) => ({ ...r }));
  }

  // ---- Azure ----

  /** Registers an app (client id + Graph object id) in a tenant. */
  createAzureApp(app: { tenantId: string; clientId: string; objectId: string; displayName?: string }): void {
    this.azure.createApp(app);
  }

  /** The app with this Graph object id, with its federated credentials. */
  azureApp(objectId: string): AzureApp | undefined {
    return this.azure.app(objectId);
  }

  /** Adds a federated identity credential directly (seeding; Graph's validation applies). */
  addFederatedCredential(
    objectId: string,
    fic: Omit<FederatedIdentityCredential, "id">,
  ): FederatedIdentityCredential {
    return this.azure.addCredential(objectId, fic);
  }

  /** How long a new federated credential keeps failing with AADSTS70021/700213 (Entra propagation; default 0). */
  setAzurePropagationDelay(ms: number): void {
    this.azure.propagationMs = ms;
  }

  /** How long a Graph credential write holds the app (a second concurrent write gets 409; default 25 ms). */
  setGraphWriteLatency(ms: number): void {
    this.azure.writeLatencyMs = ms;
  }

  /** Every Entra access token issued, oldest first. */
  azureIssuedTokens(): AzureIssuedToken[] {
    return this.azure.issued();
  }

  // ---- counting ----

  /** How many calls a service (or all) answered since the last reset. */
  calls(service?: IdentityService): number {
    return this.log.filter((c) => !service || c.service === service).length;
  }
}

/** Creates the embedded identity endpoints; call `start()` to listen on loopback. */
export function createIdentitySim(options: IdentitySimOptions = {}): IdentitySim {
  return new IdentitySim(options);
}
