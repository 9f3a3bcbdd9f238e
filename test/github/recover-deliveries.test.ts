import type { Octokit } from "@octokit/rest";
import { recoverDeliveries } from "../../github/recover-deliveries.js";
import type { GitHubSim } from "@jitops/sim/github";
import { expectMatchesOpenApi } from "../sim/github/helpers/openapi-schemas.js";
import { REPO, startSeededSim } from "../sim/github/helpers/seed.js";
import { startWebhookReceiver, type WebhookReceiver } from "../sim/github/helpers/webhook-receiver.js";

// GitHub never retries a failed delivery; jitops asks for it again through the deliveries API.

const since = new Date("2026-01-15T00:00:00Z");

describe("recoverDeliveries (GET /app/hook/deliveries, POST .../attempts on sim/github)", () => {
  let sim: GitHubSim;
  let app: Octokit;
  let receiver: WebhookReceiver;
  beforeEach(async () => {
    receiver = await startWebhookReceiver();
    ({ sim, octokit: app } = await startSeededSim(receiver.url));
  });
  afterEach(async () => {
    await sim.stop();
    await receiver.close();
  });

  const open = (head: string) =>
    sim.openPullRequest(REPO, { head, author: "alice", title: head, files: { [`${head}.txt`]: "x\n" } });

  /** GUIDs of the deliveries about one branch: its push and its pull request's events. */
  const guidsOf = (head: string) =>
    sim
      .deliveries()
      .filter((d) => {
        const p = JSON.parse(d.body) as { ref?: string; pull_request?: { head?: { ref?: string } } };
        return p.ref === `refs/heads/${head}` || p.pull_request?.head?.ref === head;
      })
      .map((d) => d.id)
      .filter((id, i, all) => all.indexOf(id) === i)
      .sort();

  it("redelivers each GUID that never got a successful answer, once, and leaves refused ones alone", async () => {
    receiver.status = 503; // the bot was down: the push and the pull request event fail
    open("down");
    await sim.awaitDeliveries();
    receiver.status = 200;
    sim.dropNextDelivery(); // the bot never answered the push; the pull request event succeeds
    open("lost");
    await sim.awaitDeliveries();
    receiver.status = 400; // the bot refused them: retrying would fail the same way
    open("refused");
    await sim.awaitDeliveries();
    receiver.status = 200;
    open("fine");
    await sim.awaitDeliveries();

    const listed = await app.request("GET /app/hook/deliveries", { per_page: 2 });
    expectMatchesOpenApi("apps/list-webhook-deliveries", 200, listed.data);
    expect(listed.headers.link).toMatch(/rel="next"/);

    const lostPush = sim.deliveries().find((d) => d.status === "dropped")!.id;
    const attempted = sim.deliveries().length;
    const report = await recoverDeliveries(app, { since });
    expect(report.attempts).toBe(attempted);
    expect(report.redelivered.map((r) => r.guid).sort()).toEqual([...guidsOf("down"), lostPush].sort());
    expect(report.givenUp.sort()).toEqual(guidsOf("refused"));
    await sim.awaitDeliveries();
    const again = sim.deliveries().filter((d) => d.redelivery);
    expect(again.map((d) => [d.id, d.status]).sort()).toEqual(
      [...guidsOf("down"), lostPush].sort().map((id) => [id, "delivered"]),
    );

    // Now answered: a second pass redelivers nothing.
    expect((await recoverDeliveries(app, { since })).redelivered).toEqual([]);
  });

  it("gives up on a GUID after maxAttempts failures, and ignores attempts before `since`", async () => {
    receiver.status = 502;
    open("flaky");
    await sim.awaitDeliveries();
    const failing = guidsOf("flaky").length;
    for (let i = 0; i < 2; i++) {
      expect((await recoverDeliveries(app, { since, maxAttempts: 3 })).redelivered).toHaveLength(failing);
      await sim.awaitDeliveries();
    }
    const last = await recoverDeliveries(app, { since, maxAttempts: 3 });
    expect(last.redelivered).toEqual([]);
    expect(last.givenUp).toHaveLength(failing);
    expect(await recoverDeliveries(app, { since: new Date("2026-01-16T00:00:00Z") })).toEqual({
      attempts: 0,
      redelivered: [],
      givenUp: [],
    });
  });
});
