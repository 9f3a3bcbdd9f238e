import { diffWorkloads, trustChanges } from "../../../core/impact/diff-workloads.js";
import { impactReport } from "../../../core/impact/impact-report.js";
import { BASE_POLICY, DIRECTORY, tree } from "./fixtures.js";

const policyOf = (text: string) => tree(text).loaded.policy!.source;
const SA = "deployer@acme-prod.iam.gserviceaccount.com";

describe("diffWorkloads: which workloads gain or lose which credentials", () => {
  const cases = [
    {
      name: "workload constraint narrowed: an environment is now required",
      head: BASE_POLICY.replace(
        "      ref: refs/heads/main\n",
        "      ref: refs/heads/main\n      environment: production\n",
      ),
      change: "narrowed",
      why: ["environment must now be production"],
    },
    {
      name: "constraint dropped: any ref may now obtain the credential",
      head: BASE_POLICY.replace("      ref: refs/heads/main\n", "      environment: production\n"),
      change: "changed",
      why: ["any ref now (was refs/heads/main)", "environment must now be production"],
    },
    {
      name: "ref moved to another branch",
      head: BASE_POLICY.replace("ref: refs/heads/main", "ref: refs/heads/release"),
      change: "changed",
      why: ["ref refs/heads/main → refs/heads/release"],
    },
    {
      name: "lifetime lowered",
      head: BASE_POLICY.replace("maxLifetime: 15m", "maxLifetime: 5m"),
      change: "narrowed",
      why: ["maxLifetime 15m → 5m"],
    },
    {
      name: "another repository id: the credential goes to whatever repository now has it",
      head: BASE_POLICY.replace("repositoryId: 123456", "repositoryId: 654321"),
      change: "changed",
      why: ["repository acme/api (id 123456, owner id 7890) → acme/api (id 654321, owner id 7890)"],
    },
  ];

  it.each(cases)("$name", ({ head, change, why }) => {
    expect(diffWorkloads(policyOf(BASE_POLICY), policyOf(head))).toEqual([
      expect.objectContaining({ workload: "api-deploy", cloud: "gcp", target: SA, change, why }),
    ]);
  });

  it("a workload removed loses its credential; one added gains it", () => {
    const head = BASE_POLICY.replace("- name: api-deploy", "- name: api-release");
    const changes = diffWorkloads(policyOf(BASE_POLICY), policyOf(head));
    expect(changes.map((c) => [c.workload, c.change])).toEqual([
      ["api-release", "gained"],
      ["api-deploy", "lost"],
    ]);
    expect(changes[1]!.why).toEqual([`loses ${SA} (gcp) for acme/api (id 123456), ref refs/heads/main`]);
  });

  it("nothing changed: no workload change and no trust change", () => {
    expect(diffWorkloads(policyOf(BASE_POLICY), policyOf(BASE_POLICY))).toEqual([]);
    expect(trustChanges(policyOf(BASE_POLICY), policyOf(BASE_POLICY))).toEqual([]);
  });

  it("lists what jitops apply would change in the cloud: the provider condition narrows", () => {
    const head = BASE_POLICY.replace(
      "      ref: refs/heads/main\n",
      "      ref: refs/heads/main\n      environment: production\n",
    );
    const lines = trustChanges(policyOf(BASE_POLICY), policyOf(head));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("assertion.environment == 'production'");
    expect(lines[0]).toContain("(was ");
  });

  it("the report carries workload changes and says so in the headline", () => {
    const head = BASE_POLICY.replace("ref: refs/heads/main", "ref: refs/heads/release");
    const r = impactReport({
      base: tree(),
      head: tree(head),
      directory: DIRECTORY,
      requests: [],
      coverage: { reviews: true, openPulls: true },
    });
    expect(r.workloads).toHaveLength(1);
    expect(r.trust.length).toBeGreaterThan(0);
    expect(r.headline).toBe("No request to replay; workload credentials: 1 with changed constraints");
  });
});
