import { impactReport } from "../../../core/impact/impact-report.js";
import { renderImpactJson } from "../../../core/impact/render-impact-json.js";
import { IMPACT_HEADING, renderImpactMarkdown } from "../../../core/impact/render-impact-markdown.js";
import { BASE_POLICY, DIRECTORY, merged, tree } from "./fixtures.js";

const NOT_ELIGIBLE = BASE_POLICY.replace("eligible: {teams: [acme/sre]}", "eligible: {teams: [acme/dba]}");

describe("renderImpactMarkdown: the check run section", () => {
  const report = impactReport({
    base: tree(),
    head: tree(NOT_ELIGIBLE.replace("ref: refs/heads/main", "ref: refs/heads/release")),
    directory: DIRECTORY,
    requests: [merged(812, "carol", "prod-db-admin", ["bob"])],
    coverage: { reviews: true, openPulls: true, since: "2026-08-26T10:00:00.000Z" },
  });

  it("has the heading, the headline, the coverage and collapsed tables", () => {
    const md = renderImpactMarkdown(report);
    expect(md.split("\n").slice(0, 3)).toEqual([`### ${IMPACT_HEADING}`, "", `**${report.headline}**`]);
    expect(md).toContain("Replayed 1 request: 1 merged since 2026-08-26, 0 in open pull requests.");
    expect(md).toContain("<details><summary>1 request would fare differently</summary>");
    expect(md).toContain(
      "| #812 carol-prod-db-admin (merged) | prod-db-admin | carol | approved: sre 1/1 | denied | carol is no longer eligible for prod-db-admin (eligible: @acme/sre → @acme/dba) |",
    );
    expect(md).toContain("<details><summary>1 workload credential change</summary>");
    expect(md).toContain("| api-deploy | gcp | deployer@acme-prod.iam.gserviceaccount.com | changed |");
    expect(md).toContain("What jitops apply would change in the clouds' trust");
  });

  it("invariant: text from request files and policy is shown, never interpreted (no table breaks, no HTML)", () => {
    const hostile = { ...report, requests: [{ ...report.requests[0]!, why: ["a | b <img src=x> & c\nd"] }] };
    expect(renderImpactMarkdown(hostile)).toContain("| a \\| b &lt;img src=x&gt; &amp; c d |");
  });

  it("cuts rows to stay under the size a check run accepts, and says how many are left out", () => {
    const many = {
      ...report,
      changed: 400,
      requests: Array.from({ length: 400 }, (_, i) => ({ ...report.requests[0]!, pr: i + 1 })),
    };
    const md = renderImpactMarkdown(many, 20_000);
    expect(md.length).toBeLessThanOrEqual(20_000);
    expect(md).toMatch(/…and \d+ more \(jitops impact --json lists every one\)\./);
  });

  it("says what a local replay could not know", () => {
    const local = impactReport({
      base: tree(),
      head: tree(NOT_ELIGIBLE),
      requests: [merged(812, "carol", "prod-db-admin", [])],
      coverage: {
        reviews: false,
        openPulls: false,
        partial: { reason: "time", message: "stopped after 10s" },
      },
    });
    const md = renderImpactMarkdown(local);
    expect(md).toContain("open pull requests not visible here");
    expect(md).toContain("Partial: stopped after 10s.");
    expect(md).toContain("Reviews are not known here");
    expect(md).toContain("Team membership is not known here");
  });
});

describe("renderImpactJson", () => {
  it("is one JSON document: ok, version, counts, requests, workloads", () => {
    const report = impactReport({
      base: tree(),
      head: tree(NOT_ELIGIBLE),
      directory: DIRECTORY,
      requests: [merged(812, "carol", "prod-db-admin", ["bob"])],
      coverage: { reviews: true, openPulls: true },
    });
    const doc = JSON.parse(renderImpactJson(report)) as Record<string, unknown>;
    expect(doc).toMatchObject({
      ok: true,
      version: 1,
      replayed: 1,
      changed: 1,
      byKind: { "newly-denied": 1 },
    });
    expect(doc.requests).toEqual([
      expect.objectContaining({ pr: 812, before: expect.objectContaining({ decision: "approved" }) }),
    ]);
  });
});
