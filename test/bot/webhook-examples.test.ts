import { createRequire } from "node:module";
import type { WebhookDefinition } from "@octokit/webhooks-examples";
import type { EmitterWebhookEvent } from "@octokit/webhooks";
import { CAROL_DB_ADMIN, startWorld, type World } from "../e2e/helpers/example-org.js";

type Payload = Record<string, unknown> & { action: string };
type Json = Record<string, unknown>;

const definitions = createRequire(import.meta.url)("@octokit/webhooks-examples") as WebhookDefinition[];

/** The first real example of `event.action` that carries an installation (every GitHub App delivery does). */
function example(event: string, action: string): Payload {
  const found = definitions
    .find((d) => d.name === event)
    ?.examples.find((x) => (x as Payload).action === action && "installation" in x);
  if (!found)
    throw new Error(`@octokit/webhooks-examples has no ${event}.${action} example with an installation`);
  return structuredClone(found) as unknown as Payload;
}

/** A real example turned into `action` (the package has no `edited` examples), with the `changes` GitHub sends. */
function editedFrom(event: string, action: string, changes: Json): Payload {
  return { ...example(event, action), action: "edited", changes };
}

// The real payloads, pointed at the simulator's repository, installation and pull request; all else as recorded.
describe("the bot handles GitHub's recorded webhook payloads", () => {
  let w: World;
  let repo: string;
  let pr: { number: number; head: string; base: string };

  beforeAll(async () => {
    w = await startWorld();
    w.sim.setWebhookTarget(null); // only probot.receive drives the app here
    repo = w.repo("examples");
    const { n, head } = w.openRequest(repo, "carol-prod-db-admin", CAROL_DB_ADMIN, "carol");
    pr = { number: n, head, base: w.sim.branchSha(repo) };
  });
  afterAll(async () => {
    await w.stop();
  });

  const pointAtSim = (payload: Payload): Payload => {
    const [owner, name] = repo.split("/") as [string, string];
    const r = payload.repository as Json & { owner: Json };
    Object.assign(r, { name, full_name: repo });
    Object.assign(r.owner, { login: owner });
    Object.assign(payload.installation as Json, { id: w.sim.appInfo.installationId });
    const pull = payload.pull_request as (Json & { head: Json; base: Json }) | undefined;
    if (pull) {
      // The bot reads the pull request from the payload: it is the simulator's PR, by carol, open.
      Object.assign(pull, {
        number: pr.number,
        state: "open",
        draft: false,
        user: { login: "carol", id: 103, type: "User" },
      });
      Object.assign(pull.head, { sha: pr.head });
      Object.assign(pull.base, { sha: pr.base });
    }
    if (payload.review) Object.assign(payload.review as Json, { commit_id: pr.head });
    for (const key of ["check_run", "check_suite"]) {
      const check = payload[key] as (Json & { pull_requests: (Json & { head: Json })[] }) | undefined;
      if (!check) continue;
      check.head_sha = pr.head;
      for (const p of check.pull_requests) {
        p.number = pr.number;
        Object.assign(p.head, { sha: pr.head });
      }
    }
    return payload;
  };

  const receive = async (id: string, name: string, payload: Payload) => {
    await w.bot.probot.receive({ id, name, payload: pointAtSim(payload) } as EmitterWebhookEvent);
  };

  const GET_PULL = "GET /repos/{owner}/{repo}/pulls/{pull_number}";
  const REVIEWS = "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews";
  const LIST_PULLS = "GET /repos/{owner}/{repo}/pulls";
  // Pull request and review events carry the pull request: the bot reads its reviews, not the PR again.
  const cases: [string, string, () => Payload, string[], string[]][] = [
    ["pull_request", "opened", () => example("pull_request", "opened"), [REVIEWS], [GET_PULL]],
    ["pull_request", "synchronize", () => example("pull_request", "synchronize"), [REVIEWS], [GET_PULL]],
    ["pull_request", "reopened", () => example("pull_request", "reopened"), [REVIEWS], [GET_PULL]],
    [
      "pull_request",
      "ready_for_review",
      () => example("pull_request", "ready_for_review"),
      [REVIEWS],
      [GET_PULL],
    ],
    [
      "pull_request",
      "edited (base changed)",
      () =>
        editedFrom("pull_request", "opened", {
          base: { ref: { from: "develop" }, sha: { from: "0".repeat(40) } },
        }),
      [REVIEWS],
      [GET_PULL],
    ],
    [
      "pull_request_review",
      "submitted",
      () => example("pull_request_review", "submitted"),
      [REVIEWS],
      [GET_PULL],
    ],
    [
      "pull_request_review",
      "dismissed",
      () => example("pull_request_review", "dismissed"),
      [REVIEWS],
      [GET_PULL],
    ],
    [
      "pull_request_review",
      "edited",
      () => editedFrom("pull_request_review", "submitted", { body: { from: "Looks good" } }),
      [REVIEWS],
      [GET_PULL],
    ],
    // Its pull_requests is empty (as for fork PRs): the bot finds the PR by head SHA.
    ["check_run", "rerequested", () => example("check_run", "rerequested"), [LIST_PULLS, GET_PULL], []],
    ["check_suite", "rerequested", () => example("check_suite", "rerequested"), [GET_PULL], []],
  ];

  test.each(cases)(
    "%s.%s leads to a decision written as the check run",
    async (name, action, build, routes, notCalled) => {
      const id = `example-${name}-${action}`;
      w.sim.resetApiCalls();
      await receive(id, name, build());
      expect(w.audit.filter((e) => e.deliveryId === id)).toEqual([
        expect.objectContaining({ repository: repo, pr: pr.number, headSha: pr.head, decision: "pending" }),
      ]);
      const called = w.sim.apiCallLog().map((c) => `${c.method} ${c.route}`);
      for (const route of routes) expect(called).toContain(route);
      for (const route of notCalled) expect(called).not.toContain(route);
      expect(w.checks(repo, pr.head).map((c) => c.conclusion)).toEqual(["action_required"]);
    },
  );

  test("pull_request.edited without a base change does nothing", async () => {
    w.sim.resetApiCalls();
    const before = w.audit.length;
    await receive(
      "example-edited-title",
      "pull_request",
      editedFrom("pull_request", "opened", { title: { from: "Update the README" } }),
    );
    expect(w.audit.length).toBe(before);
    expect(w.sim.apiCalls()).toBe(0);
  });
});
