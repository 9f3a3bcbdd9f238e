import { GitHubCaches, gitHubSession } from "../../github/github-caches.js";
import { readFileAt } from "../../github/read-file.js";
import { REPO, startSeededSim } from "../sim/github/helpers/seed.js";

// GitHub's contents API leaves out a file's content above 1 MB (`encoding: "none"`).
describe("readFileAt against sim/github", () => {
  it("reads a file over 1 MB through the raw media type", async () => {
    const { sim, octokit } = await startSeededSim();
    try {
      const big = `# ${"x".repeat(1024 * 1024)}\n* @acme/approvers\n`;
      const sha = sim.commit(REPO, "main", { files: { CODEOWNERS: big }, author: "alice" });
      const shape = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
        owner: "acme",
        repo: "access",
        path: "CODEOWNERS",
        ref: sha,
      });
      expect(shape.data).toMatchObject({ encoding: "none", content: "" });
      expect(
        await readFileAt(
          gitHubSession(octokit, new GitHubCaches()),
          { owner: "acme", repo: "access" },
          "CODEOWNERS",
          sha,
        ),
      ).toBe(big);
      expect(
        await readFileAt(
          gitHubSession(octokit, new GitHubCaches()),
          { owner: "acme", repo: "access" },
          "README.md",
          sha,
        ),
      ).toBe("# access\n");
    } finally {
      await sim.stop();
    }
  });
});
