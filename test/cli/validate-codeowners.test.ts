import { runCli } from "../../cli/program.js";
import { captureOutput } from "../fixtures/capture-output.js";
import { NOW, POLICY_YAML, REQUEST_YAML } from "../fixtures/policy.js";
import { tempRepo } from "../fixtures/temp-repo.js";

async function run(files: Record<string, string>, ...args: string[]) {
  const repo = tempRepo(files);
  const o = captureOutput();
  try {
    const code = await runCli(["node", "jitops", ...args, "-C", repo.root], {
      env: {},
      output: o,
      now: () => NOW,
    });
    return { code, out: o.stdout.join("\n") };
  } finally {
    repo.remove();
  }
}

const tree = (codeowners: Record<string, string>) => ({
  "policies/test.yaml": POLICY_YAML,
  "access/requests/alice-prod-db.yaml": REQUEST_YAML,
  ...codeowners,
});
const OWNER_SKIPPED =
  'line skipped (invalid owner): "not-an-owner" is not @user, @org/team or an email address; GitHub ignores this whole line';

describe("jitops validate: CODEOWNERS", () => {
  it("reports each line GitHub skips at its line and column, and exits 1", async () => {
    const r = await run(
      tree({ ".github/CODEOWNERS": "* @acme/security\naccess/requests/ @mallory not-an-owner\n" }),
      "validate",
    );
    expect(r.code).toBe(1);
    expect(r.out.split("\n")[0]).toBe(`.github/CODEOWNERS:2:27 codeowners.invalid-line: ${OWNER_SKIPPED}`);
  });

  it("keys the --json result by the CODEOWNERS GitHub uses, and only that one", async () => {
    const r = await run(
      tree({
        ".github/CODEOWNERS": "* @acme/security\naccess/requests/ @mallory not-an-owner\n",
        "docs/CODEOWNERS": "* user\n",
      }),
      "validate",
      "--json",
    );
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out).results).toEqual([
      { path: "policies/test.yaml", ok: true, errors: [] },
      {
        path: ".github/CODEOWNERS",
        ok: false,
        errors: [{ line: 2, column: 27, code: "codeowners.invalid-line", message: OWNER_SKIPPED }],
      },
      { path: "access/requests/alice-prod-db.yaml", ok: true, errors: [] },
    ]);
  });

  it("a clean CODEOWNERS is one more valid file", async () => {
    const r = await run(tree({ CODEOWNERS: "* @acme/security\n" }), "validate");
    expect(r).toMatchObject({ code: 0, out: "3 files valid" });
  });
});
