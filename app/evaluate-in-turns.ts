import { isRequestPath } from "../core/check-request.js";
import { stricter, type Decision, type DecisionKind } from "../core/evaluate/decision.js";
import { evaluatePull, MAX_FILES } from "../core/evaluate/evaluate-pull.js";
import type { PreparedBase } from "../core/evaluate/prepare-base.js";
import type { DirectorySnapshot, PullSnapshot } from "../core/evaluate/pull-snapshot.js";

/**
 * Request bytes one pull request may carry (every added or changed request file together). A request
 * is a few hundred bytes; checking a hostile 64 KiB file costs up to ~200 ms of CPU, so this bounds
 * one PR's evaluation to a few seconds, taken in turns.
 */
export const MAX_REQUEST_BYTES_PER_PULL = 512 * 1024;

/** Lets queued I/O (other deliveries, health probes) run before the next file. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Decides like `evaluatePull`, but a PR of request files only is evaluated one file at a time with a
 * turn of the event loop between files, so one PR of large hostile files cannot hold the bot's
 * event loop for seconds (core stays synchronous; each file's result does not depend on the
 * others). Request files above MAX_REQUEST_BYTES_PER_PULL in all are `invalid` without being parsed.
 */
export async function evaluateInTurns(
  base: PreparedBase,
  pr: PullSnapshot,
  dir: DirectorySnapshot,
  now: Date,
): Promise<Decision> {
  const requests = pr.files.filter((f) => isRequestPath(f.path) && f.status !== "removed");
  const bytes = requests.reduce((n, f) => n + Buffer.byteLength(f.content ?? ""), 0);
  if (bytes > MAX_REQUEST_BYTES_PER_PULL)
    return {
      decision: "invalid",
      reasons: [
        `the request files of this pull request hold ${bytes} bytes; at most ${MAX_REQUEST_BYTES_PER_PULL} are checked per pull request (a request is a few hundred bytes): split it or remove what is not a request`,
      ],
      requests: [],
      autoMerge: false,
    };
  const onlyRequests = pr.files.every(
    (f) =>
      isRequestPath(f.path) && (f.status !== "renamed" || !f.previousPath || isRequestPath(f.previousPath)),
  );
  // Anything else (a policy change, a mix, a truncated or oversized list, an unreadable base) is one call.
  if (
    requests.length <= 1 ||
    !onlyRequests ||
    !base.loaded.policy ||
    pr.truncated ||
    pr.files.length > MAX_FILES
  )
    return evaluatePull(base, pr, dir, now);
  let decision: DecisionKind = "approved";
  const reasons: string[] = [];
  const results: Decision["requests"] = [];
  for (const file of requests) {
    await turn();
    const one = evaluatePull(base, { ...pr, files: [file] }, dir, now);
    decision = stricter(decision, one.decision);
    reasons.push(...one.reasons);
    results.push(...one.requests);
  }
  const autoMerge = decision === "approved" && results.length > 0 && results.every((r) => r.autoMerge);
  return { decision, reasons, requests: results, autoMerge };
}
