import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";

/** What a projected service-account token is minted for: the pod, its service account, the audience. */
export interface PodTokenOptions {
  /** Cluster name given to `createCluster`. */
  cluster: string;
  namespace: string;
  serviceAccount: string;
  /** `aud` (projected volume `audience`); a list gives several. */
  audience: string | string[];
  /** Pod name (default `<serviceAccount>-7d9f8b6c5-x2x4q`). */
  pod?: string;
  /** Seconds until `exp` (kubelet's default projected token: 3607; minimum 600). */
  lifetimeSec?: number;
  /** Issued-at override (default: the sim clock), e.g. to mint an expired token. */
  issuedAt?: Date;
  /** Sign with another cluster's key while claiming this cluster's issuer (a forged token). */
  signWith?: string;
}

/** A simulated cluster: its signing key, and whether its discovery document is public. */
interface ClusterKeys {
  name: string;
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
  /** A private issuer serves nothing to clouds: they need its JWKS uploaded. */
  private: boolean;
  /** Stable uids per service account, as the API server assigns them. */
  uids: Map<string, string>;
}

/**
 * Kubernetes API servers as OIDC issuers (`--service-account-issuer`): each cluster signs projected
 * service-account tokens with its own RS256 key and publishes discovery and JWKS
 * (`/.well-known/openid-configuration`, `/openid/v1/jwks`) unless it is private.
 */
export class ClusterIssuers {
  private readonly clusters = new Map<string, ClusterKeys>();

  constructor(private readonly clock: () => Date) {}

  /** Creates a cluster issuer with a fresh key; `private` hides its discovery and JWKS from the network. */
  async create(name: string, opts: { private?: boolean } = {}): Promise<void> {
    if (!/^[a-z0-9-]{1,63}$/.test(name)) throw new Error(`sim: cluster name ${name} is not [a-z0-9-]{1,63}`);
    if (this.clusters.has(name)) throw new Error(`sim: cluster ${name} already exists`);
    const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
    const kid = randomUUID().replace(/-/g, "");
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
    this.clusters.set(name, { name, kid, privateKey, jwk, private: opts.private ?? false, uids: new Map() });
  }

  /** Whether the cluster exists. */
  has(name: string): boolean {
    return this.clusters.has(name);
  }

  /** The cluster's JWKS (what `kubectl get --raw /openid/v1/jwks` prints), for uploading to a cloud. */
  jwks(name: string): { keys: JWK[] } {
    return { keys: [{ ...this.get(name).jwk }] };
  }

  /** Discovery and JWKS as the API server answers them, or undefined for unknown or private clusters. */
  publicDocument(name: string, path: string, issuer: string): Record<string, unknown> | undefined {
    const c = this.clusters.get(name);
    if (!c || c.private) return undefined;
    if (path === "/.well-known/openid-configuration")
      return {
        issuer,
        jwks_uri: `${issuer}/openid/v1/jwks`,
        response_types_supported: ["id_token"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
      };
    if (path === "/openid/v1/jwks") return this.jwks(name);
    return undefined;
  }

  /** Signs a projected service-account token for a pod, with the claims the API server puts in it. */
  async mint(issuer: string, o: PodTokenOptions): Promise<{ jwt: string; claims: Record<string, unknown> }> {
    const c = this.get(o.cluster);
    const signer = o.signWith ? this.get(o.signWith) : c;
    const iat = Math.floor((o.issuedAt ?? this.clock()).getTime() / 1000);
    const uid = (key: string) => c.uids.get(key) ?? c.uids.set(key, randomUUID()).get(key)!;
    const pod = o.pod ?? `${o.serviceAccount}-7d9f8b6c5-x2x4q`;
    const claims: Record<string, unknown> = {
      aud: Array.isArray(o.audience) ? o.audience : [o.audience],
      exp: iat + (o.lifetimeSec ?? 3607),
      iat,
      nbf: iat,
      iss: issuer,
      jti: randomUUID(),
      sub: `system:serviceaccount:${o.namespace}:${o.serviceAccount}`,
      "kubernetes.io": {
        namespace: o.namespace,
        pod: { name: pod, uid: uid(`pod/${o.namespace}/${pod}`) },
        serviceaccount: { name: o.serviceAccount, uid: uid(`sa/${o.namespace}/${o.serviceAccount}`) },
      },
    };
    const jwt = await new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: signer.kid })
      .sign(signer.privateKey);
    return { jwt, claims };
  }

  private get(name: string): ClusterKeys {
    const c = this.clusters.get(name);
    if (!c) throw new Error(`sim: no cluster ${name}; call createCluster first`);
    return c;
  }
}
