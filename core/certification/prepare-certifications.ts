import { fileStem } from "../check-request.js";
import type { LoadedPolicy } from "../load-policy.js";
import { isPolicyPath } from "../load-policy.js";
import type { SourceFile } from "../types.js";
import { isCertificationPath } from "./certification-path.js";
import { parseCertificationRecord } from "./certification-record.js";
import { certificationScopes } from "./certification-scopes.js";
import type { CertificationBase } from "./certification-status.js";

/**
 * The certification state of a base tree: scopes from its policy files (only when the policy
 * loaded) and the records under access/certifications/. A record that does not parse certifies
 * nothing: its policy's items count as lapsed, so a broken record fails closed.
 */
export function prepareCertifications(files: SourceFile[], loaded: LoadedPolicy): CertificationBase {
  const scopes: CertificationBase["scopes"] = loaded.policy
    ? certificationScopes(files.filter((f) => isPolicyPath(f.path)))
    : new Map();
  const records: CertificationBase["records"] = new Map();
  for (const f of files) {
    if (!isCertificationPath(f.path)) continue;
    const r = parseCertificationRecord(f);
    records.set(fileStem(f.path), r.ok ? r.value : { path: f.path, errors: r.errors });
  }
  return { scopes, records };
}
