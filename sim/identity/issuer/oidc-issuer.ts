import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { githubClaims, type GitHubJobClaims, type SubjectForm } from "./github-claims.js";

/** What `mintToken` needs: the job's claims, the audience, and optionally a lifetime and subject form. */
export interface MintOptions {
  claims?: GitHubJobClaims;
  /** `aud`; a list gives an array claim. */
  audience: string | string[];
  /** Seconds until `exp` (GitHub: about 300). */
  lifetimeSec?: number;
  /** Issued-at override (default: the sim clock), e.g. to mint an already expired token. */
  issuedAt?: Date;
  subjectForm?: SubjectForm;
}

/** A signing key the issuer publishes (and may retire). */
interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

/** An RS256 OIDC issuer shaped like GitHub Actions': discovery document, JWKS, and minted job tokens. */
export class OidcIssuer {
  private keys: SigningKey[] = [];

  constructor(private readonly clock: () => Date) {}

  /** Creates the first signing key (idempotent). */
  async init(): Promise<void> {
    if (this.keys.length === 0) await this.rotateKey();
  }

  /** Adds a new signing key and signs with it from now on; old keys stay published until `retireOldKeys`. */
  async rotateKey(): Promise<string> {
    const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
    const kid = randomUUID().replace(/-/g, "").toUpperCase();
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
    this.keys.unshift({ kid, privateKey, jwk });
    return kid;
  }

  /** Stops publishing every key but the current one (tokens signed earlier then fail verification). */
  retireOldKeys(): void {
    this.keys = this.keys.slice(0, 1);
  }

  /** The published key set. */
  jwks(): { keys: JWK[] } {
    return { keys: this.keys.map((k) => ({ ...k.jwk })) };
  }

  /** GitHub's discovery document for an issuer URL. */
  discovery(issuer: string): Record<string, unknown> {
    return {
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks`,
      subject_types_supported: ["public", "pairwise"],
      response_types_supported: ["id_token"],
      claims_supported: [
        "sub",
        "aud",
        "exp",
        "iat",
        "iss",
        "jti",
        "nbf",
        "ref",
        "sha",
        "repository",
        "repository_id",
        "repository_owner",
        "repository_owner_id",
        "repository_visibility",
        "run_id",
        "run_number",
        "run_attempt",
        "runner_environment",
        "actor",
        "actor_id",
        "workflow",
        "workflow_ref",
        "workflow_sha",
        "head_ref",
        "base_ref",
        "event_name",
        "ref_type",
        "environment",
        "job_workflow_ref",
        "job_workflow_sha",
        "enterprise",
        "enterprise_id",
      ],
      id_token_signing_alg_values_supported: ["RS256"],
      scopes_supported: ["openid"],
    };
  }

  /** Signs a job token for `issuer` with GitHub's claim set; returns the JWT and its payload. */
  async mint(issuer: string, opts: MintOptions): Promise<{ jwt: string; claims: Record<string, unknown> }> {
    await this.init();
    const key = this.keys[0];
    if (!key) throw new Error("sim: issuer has no signing key");
    const iat = Math.floor((opts.issuedAt ?? this.clock()).getTime() / 1000);
    const lifetime = opts.lifetimeSec ?? 300;
    const claims: Record<string, unknown> = {
      ...githubClaims(opts.claims ?? {}, opts.subjectForm),
      aud: opts.audience,
      iss: issuer,
      jti: randomUUID(),
      nbf: iat,
      iat,
      exp: iat + lifetime,
    };
    const jwt = await new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: key.kid })
      .sign(key.privateKey);
    return { jwt, claims };
  }
}
