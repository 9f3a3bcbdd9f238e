import { isCertificationPath } from "./certification/certification-path.js";
import { isRequestPath } from "./check-request.js";
import { CODEOWNERS_PATHS } from "./codeowners.js";
import { isPolicyPath } from "./load-policy.js";

/** What a repository-relative path holds, decided from the path alone (see FORMATS.md, layout). */
export type FileKind = "policy" | "request" | "certification" | "test-case" | "codeowners" | "other";

/**
 * The kind of the file at `path` (repository-relative, forward slashes), so every command and the
 * Action treat a path alike: `policies/x.yaml` is a policy, never an AccessRequest.
 */
export function fileKind(path: string): FileKind {
  // A request first: the bot treats every access/requests/*.yaml as one, whatever its name.
  if (isRequestPath(path)) return "request";
  if (isPolicyPath(path)) return "policy";
  if (isCertificationPath(path)) return "certification";
  if (/\.test\.ya?ml$/.test(path)) return "test-case";
  if (CODEOWNERS_PATHS.includes(path)) return "codeowners";
  return "other";
}

/** What each kind is, for messages that say what a command accepts. */
export const FILE_KIND_NAMES: Record<FileKind, string> = {
  policy: "a policy file (policies/*.yaml)",
  request: "an access request (access/requests/*.yaml)",
  certification: "a certification record (access/certifications/*.yaml)",
  "test-case": "a policy test case (*.test.yaml)",
  codeowners: "a CODEOWNERS file",
  other: "neither a request, a policy, a policy test case nor CODEOWNERS",
};
