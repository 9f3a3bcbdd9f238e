import { ConfigError } from "../core/config-error.js";

/** Why a cloud has no usable credentials. */
export type CredentialsCode = "credentials.missing" | "credentials.file-missing";

/**
 * A cloud whose credentials are not configured (none found, or a variable naming a file that is
 * not there): a ConfigError, so entry points exit 2 and print the message and the hint.
 */
export class CredentialsError extends ConfigError {
  /** `credentials.missing` or `credentials.file-missing`. */
  readonly code: CredentialsCode;
  /** gcp, azure or kubernetes. */
  readonly provider: "gcp" | "azure" | "kubernetes";

  constructor(
    provider: "gcp" | "azure" | "kubernetes",
    code: CredentialsCode,
    message: string,
    hint: string,
  ) {
    super(message, hint);
    this.name = "CredentialsError";
    this.code = code;
    this.provider = provider;
  }
}
