import { expectMatchesOpenApi } from "./helpers/openapi-schemas.js";
import { expectMatchesWebhookSchema } from "./helpers/webhook-schemas.js";
import { REPO, startSeededSim } from "./helpers/seed.js";

// The schema checks the other suites rely on must be able to fail.
describe("schema checks reject what GitHub would not send", () => {
  test("a pull request without `head` fails the OpenAPI check", async () => {
    const { sim, octokit } = await startSeededSim();
    try {
      const n = sim.openPullRequest(REPO, {
        head: "h",
        author: "alice",
        title: "t",
        files: { "f.txt": "f\n" },
      });
      const { data } = await octokit.rest.pulls.get({ owner: "acme", repo: "access", pull_number: n });
      expectMatchesOpenApi("pulls/get", 200, data);
      const broken: Record<string, unknown> = { ...data };
      delete broken.head;
      expect(() => expectMatchesOpenApi("pulls/get", 200, broken)).toThrow(/head/);
    } finally {
      await sim.stop();
    }
  });

  test("a review payload with an upper-case state fails the webhook check", async () => {
    const { sim } = await startSeededSim();
    try {
      const n = sim.openPullRequest(REPO, {
        head: "h",
        author: "alice",
        title: "t",
        files: { "f.txt": "f\n" },
      });
      sim.submitReview(REPO, n, { user: "bob", state: "APPROVED" });
      const delivery = sim.deliveries().find((d) => d.event === "pull_request_review");
      const body = JSON.parse(delivery?.body ?? "{}") as { review: { state: string } };
      expectMatchesWebhookSchema("pull_request_review", "submitted", body);
      body.review.state = "APPROVED";
      expect(() => expectMatchesWebhookSchema("pull_request_review", "submitted", body)).toThrow(/state/);
      expect(() =>
        expectMatchesWebhookSchema("pull_request_review", "submitted", { ...body, extra: 1 }),
      ).toThrow();
    } finally {
      await sim.stop();
    }
  });
});
