import { UseCaseMemory } from "../../app/use-case-memory.js";
import { verifyMerge } from "../../app/verify-merge.js";
import { BASE, DIRECTORY, NOW, approved, pull, requestYaml } from "../core/evaluate/fixtures.js";
import { FakeRepo } from "../fakes/fake-repo.js";

// Re-verifying a merge through the ports: what grants is the approved head's content, merged.

function mergedRepo(mergedContent: string | undefined = requestYaml("alice-db")): FakeRepo {
  const repo = new FakeRepo().addPull(7, pull({ reviews: [approved("bob")] }), "b1");
  repo.bases.set("b1", BASE);
  repo.directorySnapshot = DIRECTORY;
  repo.mergedPulls.set("m1", { number: 7, mergedAt: NOW.toISOString() });
  if (mergedContent !== undefined) repo.files.set("m1:access/requests/alice-db.yaml", mergedContent);
  return repo;
}

describe("verifyMerge (use case, fake ports)", () => {
  it("grants for the merge of an approved pull request whose request file is the approved one", async () => {
    const v = await verifyMerge(new UseCaseMemory(), mergedRepo(), "m1");
    expect(v).toMatchObject({ granted: true, pr: { number: 7, author: "alice" } });
  });

  it("invariant: a commit that is no pull request's merge grants nothing", async () => {
    const v = await verifyMerge(new UseCaseMemory(), mergedRepo(), "m2");
    expect(v).toMatchObject({
      granted: false,
      reason: expect.stringMatching(/not the merge of an approved/),
    });
  });

  it("invariant: a merged request file that differs from the approved head's grants nothing", async () => {
    const edited = requestYaml("alice-db").replace("4h", "8h");
    const v = await verifyMerge(new UseCaseMemory(), mergedRepo(edited), "m1");
    expect(v).toMatchObject({
      granted: false,
      reason: "access/requests/alice-db.yaml in the merge commit differs from the approved head",
    });
  });

  it("invariant: a pull request not approved on its merged head grants nothing", async () => {
    const repo = mergedRepo();
    repo.pulls.get(7)!.snapshot.reviews = [];
    const v = await verifyMerge(new UseCaseMemory(), repo, "m1");
    expect(v).toMatchObject({ granted: false, reason: expect.stringMatching(/^pull request #7 is pending/) });
  });

  it("a verdict is remembered per instance: the second verification reads nothing", async () => {
    const repo = mergedRepo();
    const memory = new UseCaseMemory();
    await verifyMerge(memory, repo, "m1");
    const reads = repo.calls.length;
    await verifyMerge(memory, repo, "m1");
    expect(repo.calls.length).toBe(reads);
    await verifyMerge(new UseCaseMemory(), repo, "m1");
    expect(repo.calls.length).toBeGreaterThan(reads);
  });
});
