/**
 * A configuration problem the user must fix before anything can run: no policies found, a cloud
 * without credentials, a missing setting. Entry points report it with exit status 2 (usage or
 * configuration), apart from runtime failures (exit 3: GitHub, a cloud, the network).
 */
export class ConfigError extends Error {
  /** What to do about it, e.g. "set GOOGLE_APPLICATION_CREDENTIALS or run gcloud auth application-default login". */
  readonly hint: string | undefined;

  constructor(message: string, hint?: string) {
    super(message);
    this.name = "ConfigError";
    this.hint = hint;
  }
}
