import { isCertificationPath } from "../certification/certification-path.js";
import type { CertificationBase } from "../certification/certification-status.js";
import { prepareCertifications } from "../certification/prepare-certifications.js";
import { CODEOWNERS_PATHS, readCodeowners, type Codeowners } from "../codeowners.js";
import type { TicketPatternCache } from "../compile-policy.js";
import { isPolicyPath, loadPolicy, type LoadedPolicy } from "../load-policy.js";
import type { SourceFile } from "../types.js";

/** The base commit's policy and CODEOWNERS, parsed once; cache it by base SHA. */
export interface PreparedBase {
  loaded: LoadedPolicy;
  /** The first CODEOWNERS GitHub finds: its rules, and the lines GitHub skips (shown, never used). */
  codeowners: Codeowners;
  policyFiles: SourceFile[];
  /** Certification scopes and the merged records (access/certifications/*.yaml) of the base tree. */
  certifications?: CertificationBase;
}

/** Parses the base tree's policy files and CODEOWNERS (the first of GitHub's locations present); `patterns` is the caller's long-lived ticket pattern cache. */
export function prepareBase(files: SourceFile[], patterns?: TicketPatternCache): PreparedBase {
  const policyFiles = files.filter((f) => isPolicyPath(f.path));
  const loaded = loadPolicy(policyFiles, patterns);
  return {
    loaded,
    codeowners: readCodeowners(files),
    policyFiles,
    certifications: prepareCertifications(files, loaded),
  };
}

/**
 * Is this path a governance file the decision reads: policy files, policy tests, CODEOWNERS (policy
 * owners approve them) or certification records (their policy's reviewers approve them)?
 */
export function isPolicyChangePath(path: string): boolean {
  return path.startsWith("policies/") || CODEOWNERS_PATHS.includes(path) || isCertificationPath(path);
}
