import { generateKeyPairSync } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createNodeMiddleware, Probot } from "probot";
import type { GitHubSim } from "@jitops/sim/github";
import { REPO, startSeededSim, WEBHOOK_SECRET } from "./helpers/seed.js";

// A Probot app authenticates as the app (JWT, installation token) and reacts to signed deliveries.
describe("a Probot app against the simulator", () => {
  let sim: GitHubSim;
  let server: Server;

  beforeAll(async () => {
    ({ sim } = await startSeededSim());
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const probot = new Probot({
      appId: sim.appInfo.id,
      privateKey: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
      secret: WEBHOOK_SECRET,
      baseUrl: sim.url,
      logLevel: "fatal",
    });
    const app = (p: Probot) => {
      p.on(
        ["pull_request.opened", "pull_request.synchronize", "pull_request_review.submitted"],
        async (context) => {
          const pr = context.payload.pull_request;
          const reviews = await context.octokit.rest.pulls.listReviews(
            context.repo({ pull_number: pr.number }),
          );
          const approved = reviews.data.some((r) => r.state === "APPROVED" && r.commit_id === pr.head.sha);
          await context.octokit.rest.checks.create(
            context.repo({
              name: "jitops/approval",
              head_sha: pr.head.sha,
              conclusion: approved ? "success" : "action_required",
              details_url: "https://example.com/jitops",
              output: { title: approved ? "Approved" : "Needs approval", summary: "-" },
            }),
          );
        },
      );
    };
    const middleware = await createNodeMiddleware(app, { probot, webhooksPath: "/api/github/webhooks" });
    server = createServer((req, res) => void middleware(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
    sim.setWebhookTarget({
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`,
      secret: WEBHOOK_SECRET,
    });
  });
  afterAll(async () => {
    await sim.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test("opened then approved: the app writes check runs through installation auth", async () => {
    const n = sim.openPullRequest(REPO, {
      head: "req",
      author: "alice",
      title: "t",
      files: { "access/requests/a.yaml": "a\n" },
    });
    await sim.awaitDeliveries();
    const head = sim.getPullRequest(REPO, n).headSha;
    expect(sim.getCheckRuns(REPO, head).map((c) => c.conclusion)).toEqual(["action_required"]);

    sim.resetApiCalls();
    sim.submitReview(REPO, n, { user: "bob", state: "APPROVED" });
    await sim.awaitDeliveries();
    expect(sim.getCheckRuns(REPO, head)[0]?.conclusion).toBe("success");
    expect(sim.deliveries().every((d) => d.status === "delivered")).toBe(true);
    // Token (cached after the first event), list reviews, create check.
    expect(sim.apiCallLog().map((c) => `${c.method} ${c.route}`)).toEqual([
      "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
      "POST /repos/{owner}/{repo}/check-runs",
    ]);
  });
});
