import { decidePull } from "../../app/decide-pull.js";
import { UseCaseMemory } from "../../app/use-case-memory.js";
import { BASE, DIRECTORY, NOW, approved, pull } from "../core/evaluate/fixtures.js";
import { FakeRepo, fakeDecideDeps } from "../fakes/fake-repo.js";

// The decide use case through its ports only: no HTTP, no simulator.

/** alice asks for db-read (one SRE, auto-merge) in #7 on base b1; bob (SRE) approved head c2. */
function approvedRepo(): FakeRepo {
  const repo = new FakeRepo().addPull(7, pull({ reviews: [approved("bob")] }), "b1");
  repo.bases.set("b1", BASE);
  repo.directorySnapshot = DIRECTORY;
  return repo;
}

describe("decidePull (use case, fake ports)", () => {
  it("an approved request: success check, audit, decision and merged events, merge of the approved head", async () => {
    const repo = approvedRepo();
    const { deps, audited, events } = fakeDecideDeps(NOW);
    const res = await decidePull(deps, repo, 7, { expectedHead: "c2", deliveryId: "d1", opened: true });
    expect(res.decision?.decision).toBe("approved");
    expect(repo.checks.map((c) => [c.head, c.check.conclusion])).toEqual([["c2", "success"]]);
    expect(repo.merges).toEqual([{ number: 7, head: "c2" }]);
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ pr: 7, headSha: "c2", baseSha: "b1", deliveryId: "d1" });
    expect(events.map((e) => e.type)).toEqual(["request-opened", "approved", "merged"]);
  });

  it("invariant: a head the forge does not show yet is never decided (no check, no merge)", async () => {
    const repo = approvedRepo();
    const { deps } = fakeDecideDeps(NOW);
    const res = await decidePull(deps, repo, 7, { expectedHead: "c3" });
    expect(res).toMatchObject({ headSha: "c3", decision: undefined });
    expect(res.skipped).toMatch(/not c3/);
    expect(repo.checks).toEqual([]);
    expect(repo.merges).toEqual([]);
  });

  it("invariant: a failed read fails closed: an action_required check on the head, no merge, the error rethrown", async () => {
    const repo = approvedRepo();
    repo.fail.set("base", new Error("502 from the contents API"));
    const { deps } = fakeDecideDeps(NOW);
    await expect(decidePull(deps, repo, 7, { expectedHead: "c2" })).rejects.toThrow("502");
    expect(repo.checks.map((c) => [c.head, c.check.conclusion, c.opts.fresh])).toEqual([
      ["c2", "action_required", true],
    ]);
    expect(repo.checks[0]!.check.summary).toContain("No approval is given");
    expect(repo.merges).toEqual([]);
  });

  it("a pending request: a neutral check, reviews requested from those who can approve, no merge", async () => {
    const repo = new FakeRepo().addPull(7, pull(), "b1");
    repo.bases.set("b1", BASE);
    repo.directorySnapshot = DIRECTORY;
    const { deps, events } = fakeDecideDeps(NOW);
    const res = await decidePull(deps, repo, 7, { requestReviews: true });
    expect(res.decision?.decision).toBe("pending");
    expect(repo.reviewRequests).toEqual([{ number: 7, who: { teams: ["sre"], users: [] } }]);
    expect(repo.merges).toEqual([]);
    expect(events.map((e) => e.type)).toEqual(["approval-needed"]);
  });

  it("a merge refusal is commented once per head by one instance; another instance says it again", async () => {
    const repo = approvedRepo();
    repo.mergeOutcome = { merged: false, reason: "the head moved after approval (409)" };
    const memory = new UseCaseMemory(() => NOW);
    await decidePull(fakeDecideDeps(NOW, memory).deps, repo, 7);
    await decidePull(fakeDecideDeps(NOW, memory).deps, repo, 7);
    expect(repo.comments.filter((c) => c.body.includes("did not merge"))).toHaveLength(1);
    // A fresh instance (a restart, another replica) shares no memory with the first.
    await decidePull(fakeDecideDeps(NOW).deps, repo, 7);
    expect(repo.comments.filter((c) => c.body.includes("did not merge"))).toHaveLength(2);
  });

  it("a closed pull request is not decided", async () => {
    const repo = approvedRepo();
    repo.pulls.get(7)!.state = "closed";
    const { deps } = fakeDecideDeps(NOW);
    expect((await decidePull(deps, repo, 7)).skipped).toBe("the pull request is not open");
    expect(repo.calls).toEqual(["pull #7"]);
  });

  it("createCheck: false on a head without a check run reports nothing (its delivery will)", async () => {
    const repo = approvedRepo();
    const { deps, audited } = fakeDecideDeps(NOW);
    const res = await decidePull(deps, repo, 7, { createCheck: false });
    expect(res.skipped).toMatch(/no check run on this head yet/);
    expect(audited).toEqual([]);
    expect(repo.merges).toEqual([]);
  });

  it("decisions of one pull request run one at a time, in call order", async () => {
    const repo = approvedRepo();
    const { deps } = fakeDecideDeps(NOW);
    await Promise.all([decidePull(deps, repo, 7), decidePull(deps, repo, 7)]);
    const order = repo.calls.filter((c) => c.startsWith("pull") || c.startsWith("merge"));
    expect(order).toEqual(["pull #7", "merge #7@c2", "pull #7", "merge #7@c2"]);
  });
});
