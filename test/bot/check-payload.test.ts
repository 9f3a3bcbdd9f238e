import { checkPayload } from "../../bot/check-payload.js";

const SHA = "a".repeat(40);
const base = {
  installation: { id: 1 },
  repository: { name: "Access", owner: { login: "Acme" }, default_branch: "main" },
};

describe("checkPayload", () => {
  test.each([
    [
      "pull_request",
      { ...base, action: "opened", pull_request: { number: 7, head: { sha: SHA } } },
      "acme/access#7",
    ],
    [
      "pull_request_review",
      { ...base, action: "submitted", pull_request: { number: 7, head: { sha: SHA } } },
      "acme/access#7",
    ],
    [
      "check_run",
      { ...base, action: "rerequested", check_run: { head_sha: SHA, pull_requests: [{ number: 7 }] } },
      "acme/access#7",
    ],
    [
      "check_suite",
      { ...base, action: "rerequested", check_suite: { head_sha: SHA, pull_requests: [] } },
      `acme/access@${SHA}`,
    ],
    ["push", { ...base, ref: "refs/heads/main", deleted: false, after: SHA }, "acme/access:push"],
  ])("%s is handled and serialized by pull request (or repository for pushes)", (event, payload, key) => {
    expect(checkPayload(event, payload)).toMatchObject({
      ok: true,
      handled: true,
      key,
      repository: "Acme/Access",
    });
  });

  test.each([
    ["ping", { zen: "x" }],
    ["pull_request", { ...base, action: "closed" }],
    ["issues", { ...base, action: "opened" }],
    ["check_run", { ...base, action: "completed" }],
  ])("%s (not handled) is not inspected", (event, payload) => {
    expect(checkPayload(event, payload)).toEqual({ ok: true, handled: false });
  });

  test.each([
    ["pull_request", [], "the payload is not a JSON object"],
    [
      "pull_request",
      { ...base, action: "opened", repository: { name: "x" } },
      "pull_request.opened: repository.name and repository.owner.login must be non-empty strings",
    ],
    [
      "pull_request",
      { ...base, action: "opened", pull_request: { number: 0, head: { sha: SHA } } },
      "pull_request.opened: pull_request.number must be a positive whole number",
    ],
    [
      "pull_request",
      { ...base, action: "edited", changes: "base", pull_request: { number: 1, head: { sha: SHA } } },
      "pull_request.edited: changes must be an object when present",
    ],
    [
      "check_suite",
      { ...base, action: "rerequested", check_suite: { head_sha: SHA, pull_requests: [{ number: "1" }] } },
      "check_suite.rerequested: check_suite.pull_requests must be a list of objects with a positive whole number",
    ],
    [
      "check_run",
      { ...base, action: "rerequested", check_run: { head_sha: "main", pull_requests: [] } },
      "check_run.rerequested: check_run.head_sha must be a 40-character hex commit SHA",
    ],
    ["push", { ...base, ref: 1 }, "push: ref must be a string"],
    ["push", { ...base, ref: "refs/heads/main", deleted: "no" }, "push: deleted must be a boolean"],
    [
      "push",
      { ...base, repository: { ...base.repository, default_branch: "" }, ref: "x", deleted: false },
      "push: repository.default_branch must be a non-empty string",
    ],
  ])("a malformed %s payload is refused with the reason", (event, payload, reason) => {
    expect(checkPayload(event, payload)).toEqual({ ok: false, reason });
  });
});
