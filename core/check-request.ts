import { type CompiledEntitlement, type CompiledPolicy } from "./compile-policy.js";
import { capErrors } from "./cap-errors.js";
import { durationProblem, formatDuration, parseDuration } from "./duration.js";
import type { FileError, FileResult } from "./file-error.js";
import { internalError } from "./internal-error.js";
import { validateRequest } from "./generated/validators.js";
import { GCP_PUBLIC_MEMBERS } from "./load-policy.js";
import { parseRfc3339 } from "./rfc3339.js";
import { quoteValue } from "./schema/quote-value.js";
import { schemaErrors } from "./schema/schema-errors.js";
import type { AccessRequest, SourceFile } from "./types.js";
import { parseYaml } from "./yaml/parse-yaml.js";

/** A request that passed every check, with its limits resolved. */
export interface CheckedRequest {
  path: string;
  request: AccessRequest;
  entitlement: CompiledEntitlement;
  minutes: number;
  start: Date | undefined;
}

/** Is this a request file path (`access/requests/<name>.yaml`)? */
export function isRequestPath(path: string): boolean {
  return /^access\/requests\/[^/]+\.ya?ml$/.test(path);
}

/** The file stem: `access/requests/alice-db.yaml` -> `alice-db`. */
export function fileStem(path: string): string {
  return (path.split("/").pop() ?? path).replace(/\.ya?ml$/, "");
}

/** A valid metadata.name, which the file stem must equal. */
const REQUEST_NAME = /^[a-z0-9-]{3,63}$/;

/** Longest accepted ticket, in characters: tickets are references, and matching costs their length. */
export const MAX_TICKET = 256;

const SPECIFIC = ["/spec/duration", "/spec/ticket", "/spec/start"];

/** How to judge a request that is not new. */
export interface CheckRequestOptions {
  /** The request is already merged on the default branch: a start that has passed since is not an error. */
  merged?: boolean;
}

/**
 * Parses and checks one request file against the policy at time `now`. Without a policy
 * (it failed its own checks), only the file's own structure is checked and the result is never ok.
 * Never throws: a bug while checking becomes an `internal.error` for this file alone.
 */
export function checkRequest(
  file: SourceFile,
  policy: CompiledPolicy | undefined,
  now: Date,
  opts: CheckRequestOptions = {},
): FileResult<CheckedRequest> {
  try {
    return check(file, policy, now, opts);
  } catch (e) {
    return { ok: false, errors: [internalError(e)] };
  }
}

function check(
  file: SourceFile,
  policy: CompiledPolicy | undefined,
  now: Date,
  opts: CheckRequestOptions,
): FileResult<CheckedRequest> {
  const parsed = parseYaml(file.content);
  if (!parsed.ok) return parsed;
  const { data, spans } = parsed.value;
  const errors: FileError[] = [];
  const push = (pointer: string, code: string, message: string) => {
    const s = spans.get(pointer) ??
      spans.get(pointer.slice(0, pointer.lastIndexOf("/"))) ?? { value: { line: 1, column: 1 } };
    errors.push({ ...s.value, code, message });
  };
  const raw = (data && typeof data === "object" ? data : {}) as { metadata?: unknown; spec?: unknown };
  const spec = (raw.spec && typeof raw.spec === "object" ? raw.spec : {}) as Record<string, unknown>;
  const skip = new Set(SPECIFIC.filter((p) => spans.has(p)));
  if (!validateRequest(data)) errors.push(...schemaErrors(validateRequest.errors ?? [], data, spans, skip));

  const stem = fileStem(file.path);
  const name = (raw.metadata as { name?: unknown } | undefined)?.name;
  if (!REQUEST_NAME.test(stem)) {
    // No metadata.name could ever equal this stem: the fix is renaming the file, so say that.
    push(
      spans.has("/metadata/name") ? "/metadata/name" : "",
      "request.bad-file-name",
      `the file name ${quoteValue(file.path.split("/").pop() ?? file.path)} can never match metadata.name, which is 3 to 63 characters of a-z, 0-9 and "-": rename the file${suggestName(stem)} and set metadata.name to the new stem`,
    );
  } else if (typeof name === "string" && name !== stem) {
    push(
      "/metadata/name",
      "request.name-mismatch",
      `metadata.name ${quoteValue(name)} must equal the file name stem "${stem}"`,
    );
  }

  const minutes = spans.has("/spec/duration") ? parseDuration(spec.duration) : undefined;
  if (spans.has("/spec/duration") && minutes === undefined) {
    push("/spec/duration", "duration.invalid", durationProblem("duration", spec.duration));
  }
  let start: Date | undefined;
  if (spans.has("/spec/start")) {
    start = parseRfc3339(spec.start);
    if (!start) {
      push(
        "/spec/start",
        "start.invalid",
        `start ${typeof spec.start === "string" ? quoteValue(spec.start) : shortJson(spec.start)} is not an RFC 3339 time with a zone, e.g. 2026-11-25T09:00:00Z`,
      );
    } else if (start.getTime() <= now.getTime() && !opts.merged) {
      push(
        "/spec/start",
        "start.invalid",
        `start ${String(spec.start)} is not in the future (now is ${now.toISOString()}); omit start to begin at merge`,
      );
      start = undefined;
    }
  }
  if (typeof spec.principal === "string" && GCP_PUBLIC_MEMBERS.has(spec.principal)) {
    push(
      "/spec/principal",
      "gcp.public-principal",
      `principal ${spec.principal} is not accepted: grants to everyone cannot carry an expiry condition`,
    );
  }

  // Matching costs the ticket's length times the pattern's size: bound the ticket before any match.
  const ticketLength = typeof spec.ticket === "string" ? [...spec.ticket].length : 0;
  const ticketTooLong = ticketLength > MAX_TICKET;
  if (ticketTooLong) {
    push(
      "/spec/ticket",
      "ticket.too-long",
      `ticket ${JSON.stringify([...(spec.ticket as string)].slice(0, 20).join(""))}… is ${ticketLength} characters; at most ${MAX_TICKET} are accepted (a ticket is a reference such as INC-1234)`,
    );
  }
  const entitlement = checkAgainstPolicy(
    policy,
    spec,
    spans.has("/spec/ticket"),
    ticketTooLong,
    minutes,
    push,
  );
  if (
    spans.has("/spec/ticket") &&
    typeof spec.ticket !== "string" &&
    !errors.some((e) => e.code === "ticket.invalid")
  ) {
    push(
      "/spec/ticket",
      "ticket.invalid",
      `ticket must be a string such as INC-1234, not ${shortJson(spec.ticket)}`,
    );
  }
  if (!policy) {
    errors.push({
      line: 1,
      column: 1,
      code: "policy.invalid",
      message: "the policy under policies/ has errors, so this request cannot be checked against it",
    });
  }
  if (errors.length > 0 || !entitlement || minutes === undefined)
    return { ok: false, errors: capErrors(errors) };
  return {
    ok: true,
    value: { path: file.path, request: data as AccessRequest, entitlement, minutes, start },
  };
}

function checkAgainstPolicy(
  policy: CompiledPolicy | undefined,
  spec: Record<string, unknown>,
  hasTicket: boolean,
  ticketTooLong: boolean,
  minutes: number | undefined,
  push: (pointer: string, code: string, message: string) => void,
): CompiledEntitlement | undefined {
  if (!policy || typeof spec.entitlement !== "string") return undefined;
  const e = policy.entitlements.get(spec.entitlement);
  if (!e) {
    const known = [...policy.entitlements.keys()];
    const shown =
      known.length > 20 ? `${known.slice(0, 20).join(", ")}, … (${known.length} in all)` : known.join(", ");
    push(
      "/spec/entitlement",
      "entitlement.unknown",
      `entitlement ${quoteValue(spec.entitlement)} is not declared in policy; known entitlements: ${shown || "none"}`,
    );
    return undefined;
  }
  const breakGlass = spec.breakGlass === true;
  if (breakGlass && e.breakGlassMinutes === undefined) {
    push(
      "/spec/breakGlass",
      "breakglass.not-allowed",
      `entitlement ${e.source.name} does not allow break-glass requests; remove breakGlass or ask for approval`,
    );
  }
  const limit = breakGlass && e.breakGlassMinutes !== undefined ? e.breakGlassMinutes : e.maxMinutes;
  if (minutes !== undefined && minutes > limit) {
    const which = breakGlass ? "break-glass maximum" : "maxDuration";
    push(
      "/spec/duration",
      "duration.exceeds-max",
      `duration ${String(spec.duration)} exceeds the ${which} ${formatDuration(limit)} of entitlement ${e.source.name}`,
    );
  }
  if (
    e.source.require?.justification &&
    !(typeof spec.justification === "string" && spec.justification.trim())
  ) {
    push(
      spec.justification === undefined ? "/spec" : "/spec/justification",
      "justification.required",
      `entitlement ${e.source.name} requires a justification: add spec.justification`,
    );
  }
  if (e.ticket) {
    const t = spec.ticket;
    const pattern = e.ticket === "any" ? undefined : e.ticket;
    if (!hasTicket) {
      push(
        "/spec",
        "ticket.invalid",
        `entitlement ${e.source.name} requires a ticket${pattern ? ` matching ${pattern.source}` : ""}: add spec.ticket`,
      );
    } else if (typeof t === "string" && pattern && !ticketTooLong && !pattern.test(t)) {
      push(
        "/spec/ticket",
        "ticket.invalid",
        `ticket ${quoteValue(t)} does not match ${pattern.source}, required by entitlement ${e.source.name}`,
      );
    }
  }
  return e;
}

/** A value of the wrong type, shown short. */
function shortJson(v: unknown): string {
  const json = JSON.stringify(v) ?? String(v);
  return json.length > 80 ? `${json.slice(0, 80)}…` : json;
}

/** `, e.g. to zoe-k8s.yaml` when the stem can be turned into a valid name, else nothing. */
function suggestName(stem: string): string {
  // Cut first: a name is at most 63 characters, and the regexes below stay short on any path.
  const name = stem
    .slice(0, 200)
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/, "");
  return REQUEST_NAME.test(name) ? `, e.g. to ${name}.yaml,` : "";
}
