import { blobSha, buildTrees, diffFiles, treeSha } from "../../../sim/github/git-objects.js";

describe("git object ids match git's", () => {
  test.each([
    ["", "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"],
    ["hello\n", "ce013625030ba8dba906f756967f9e9ca394464a"],
  ])("blob %j", (content, sha) => {
    expect(blobSha(content)).toBe(sha);
  });

  test("empty tree", () => {
    expect(treeSha([])).toBe("4b825dc642cb6eb9a060e54bf8d69288fbee4904");
  });

  test("nested trees are built for every directory", () => {
    const blob = blobSha("hello\n");
    const { root, trees } = buildTrees(new Map([["a/b/c.txt", blob]]), () => 6);
    expect(trees.get(root)?.map((e) => [e.name, e.type])).toEqual([["a", "tree"]]);
    expect(trees.size).toBe(3);
  });
});

describe("diffFiles", () => {
  const blobs = new Map<string, string>();
  const files = (m: Record<string, string>) =>
    new Map(
      Object.entries(m).map(([p, c]) => {
        const sha = blobSha(c);
        blobs.set(sha, c);
        return [p, sha] as [string, string];
      }),
    );
  const read = (sha: string) => blobs.get(sha) ?? "";

  test.each([
    ["added", {}, { "a.txt": "x\n" }, [["a.txt", "added", undefined, 1, 0]]],
    ["removed", { "a.txt": "x\ny\n" }, {}, [["a.txt", "removed", undefined, 0, 2]]],
    ["modified", { "a.txt": "x\ny\n" }, { "a.txt": "x\nz\n" }, [["a.txt", "modified", undefined, 1, 1]]],
    ["renamed", { "a.txt": "x\n" }, { "b.txt": "x\n" }, [["b.txt", "renamed", "a.txt", 0, 0]]],
  ])("%s", (_name, before, after, expected) => {
    const out = diffFiles(files(before), files(after), read);
    expect(out.map((f) => [f.filename, f.status, f.previousFilename, f.additions, f.deletions])).toEqual(
      expected,
    );
  });
});
