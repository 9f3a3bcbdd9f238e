import { evaluatePull } from "../../core/evaluate/evaluate-pull.js";
import { evaluateInTurns, MAX_REQUEST_BYTES_PER_PULL } from "../../app/evaluate-in-turns.js";
import {
  approved,
  BASE,
  changed,
  changesRequested,
  DIRECTORY,
  NOW,
  pull,
  requestFile,
} from "../core/evaluate/fixtures.js";

// One PR's request files are checked one at a time with a turn of the event loop between them, and
// the decision is the one evaluatePull makes of the whole PR.

describe("evaluateInTurns", () => {
  it.each([
    [
      "three requests, one approved",
      [requestFile("a-1"), requestFile("a-2"), requestFile("a-3")],
      [approved("bob")],
    ],
    [
      "a pending and an invalid request",
      [requestFile("a-1"), requestFile("a-2", { entitlement: "nope", duration: "4h" })],
      [],
    ],
    [
      "requests and a removed request",
      [requestFile("a-1"), requestFile("a-2"), requestFile("gone", undefined, "removed")],
      [approved("bob")],
    ],
    [
      "all approved (auto-merge)",
      [requestFile("a-1"), requestFile("a-2", { entitlement: "staging", duration: "1d" })],
      [approved("carol")],
    ],
    ["changes requested", [requestFile("a-1"), requestFile("a-2")], [changesRequested("bob")]],
    ["a request mixed with another file", [requestFile("a-1"), requestFile("a-2"), changed("README.md")], []],
    ["one request", [requestFile("a-1")], [approved("bob")]],
  ])("decides %s exactly as evaluatePull does", async (_, files, reviews) => {
    const pr = pull({ files, reviews });
    expect(await evaluateInTurns(BASE, pr, DIRECTORY, NOW)).toEqual(evaluatePull(BASE, pr, DIRECTORY, NOW));
  });

  it("lets other work run between the files of one PR", async () => {
    const pr = pull({ files: [1, 2, 3, 4, 5].map((i) => requestFile(`a-${i}`)) });
    let turns = 0;
    let done = false;
    const tick = () => {
      if (done) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    const decided = evaluateInTurns(BASE, pr, DIRECTORY, NOW).then((d) => {
      done = true;
      return d;
    });
    expect((await decided).requests).toHaveLength(5);
    // Evaluated in one synchronous call, nothing else would have run before the decision.
    expect(turns).toBeGreaterThanOrEqual(4);
  });

  it(`invariant: fail closed: request files over ${MAX_REQUEST_BYTES_PER_PULL} bytes in all are invalid, unparsed`, async () => {
    const big = (name: string) => {
      const f = requestFile(name);
      return { ...f, content: `${f.content}# ${"x".repeat(200 * 1024)}\n` };
    };
    const files = [big("a-1"), big("a-2"), big("a-3")];
    const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
    const d = await evaluateInTurns(BASE, pull({ files, reviews: [approved("bob")] }), DIRECTORY, NOW);
    expect(d).toEqual({
      decision: "invalid",
      reasons: [
        `the request files of this pull request hold ${bytes} bytes; at most 524288 are checked per pull request (a request is a few hundred bytes): split it or remove what is not a request`,
      ],
      requests: [],
      autoMerge: false,
    });
    // Two of them fit: evaluated as usual.
    expect(
      (await evaluateInTurns(BASE, pull({ files: files.slice(0, 2) }), DIRECTORY, NOW)).requests,
    ).toHaveLength(2);
  });
});
