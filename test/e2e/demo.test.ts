import { runCli } from "../../cli/program.js";
import { captureOutput } from "../fixtures/capture-output.js";

describe("jitops demo", () => {
  it("runs every step of the lifecycle and each holds against the simulators' state", async () => {
    const o = captureOutput();
    const code = await runCli(["node", "jitops", "demo", "--json"], { env: {}, output: o });
    const result = JSON.parse(o.stdout.join("\n")) as {
      ok: boolean;
      steps: { name: string; ok: boolean; detail: string }[];
    };
    expect(result.steps.filter((s) => !s.ok)).toEqual([]);
    expect(result.steps.map((s) => s.name)).toEqual([
      "request-opened",
      "validated",
      "approval-pending",
      "approved",
      "merged",
      "granted",
      "notified",
      "access-allowed",
      "expired",
      "access-denied-after-expiry",
      "revert-pr-merged",
      "binding-removed",
      "policy-impact-shown",
      "certification-opened",
      "certification-approved",
      "activity-recorded",
      "rightsize-proposed",
      "workload-credentials-issued",
      "workload-denied-wrong-repository",
      "pod-credentials-issued",
      "pod-denied-other-namespace",
    ]);
    expect(result.ok).toBe(true);
    expect(code).toBe(0);
  }, 120_000);
});
