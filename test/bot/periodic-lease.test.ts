import { createCloudSim, type CloudSim } from "@jitops/sim/cloud";
import { kubernetesLease } from "../../bot/periodic-lease.js";
import { kubeConfig } from "../sim/cloud/helpers/sdk-clients.js";

// Three replicas share one coordination.k8s.io Lease on the simulated API server: one runs the
// periodic passes, the others skip them until its lease lapses.

describe("kubernetesLease (coordination.k8s.io/v1 on sim/cloud)", () => {
  let cloud: CloudSim;
  let at: Date;
  beforeEach(async () => {
    at = new Date("2026-12-01T10:00:00Z");
    cloud = createCloudSim({ clock: () => at });
  });
  afterEach(() => cloud.stop());

  const replicas = async () => {
    const urls = await cloud.start();
    return ["bot-0", "bot-1", "bot-2"].map((identity) =>
      kubernetesLease(kubeConfig(urls), {
        namespace: "jitops",
        name: "jitops-periodic",
        identity,
        durationSeconds: 600,
        now: () => at,
      }),
    );
  };

  it("one replica at a time holds it, even when all try at once", async () => {
    const all = await replicas();
    const won = await Promise.all(all.map((r) => r.tryAcquire()));
    expect(won.filter(Boolean)).toHaveLength(1);
    const holder = won.indexOf(true);
    expect(cloud.k8sLeases()[0]!.spec).toMatchObject({
      holderIdentity: `bot-${holder}`,
      leaseDurationSeconds: 600,
    });

    // The holder renews; the others keep losing while it is fresh.
    at = new Date(at.getTime() + 300_000);
    expect(await all[holder]!.tryAcquire()).toBe(true);
    for (const [i, r] of all.entries()) if (i !== holder) expect(await r.tryAcquire()).toBe(false);
    expect(cloud.k8sLeases()[0]!.spec.renewTime).toBe("2026-12-01T10:05:00.000000Z");
  });

  it("another replica takes over once the holder stops renewing", async () => {
    const [a, b] = await replicas();
    expect(await a!.tryAcquire()).toBe(true);
    at = new Date(at.getTime() + 599_000);
    expect(await b!.tryAcquire()).toBe(false);
    at = new Date(at.getTime() + 2_000);
    expect(await b!.tryAcquire()).toBe(true);
    expect(cloud.k8sLeases()[0]!.spec).toMatchObject({ holderIdentity: "bot-1", leaseTransitions: 1 });
    expect(await a!.tryAcquire()).toBe(false);
  });
});
