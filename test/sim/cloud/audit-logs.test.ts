import { simActivityReaders, simRoleCatalogues } from "../../../cli/demo/activity-world.js";
import { virtualClock } from "../../../cli/demo/virtual-clock.js";
import { createCloudSim, type CloudSim } from "@jitops/sim/cloud";

const SUB = "00000000-0000-0000-0000-000000000001";
const ALICE = "0f8c1a52-6f2b-4d7e-9a51-3c1f0a9b7e01";

describe("sim/cloud audit logs and roles", () => {
  const clock = virtualClock(new Date("2026-12-01T10:00:00Z"));
  let cloud: CloudSim;
  beforeAll(async () => {
    cloud = createCloudSim({ clock: clock.now });
    await cloud.start();
    cloud.gcpCreateResource("projects/acme-prod");
  });
  afterAll(() => cloud.stop());

  const listEntries = (body: unknown) =>
    fetch(`${cloud.urls.gcpUrl}/v2/entries:list`, {
      method: "POST",
      headers: { authorization: "Bearer t", "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("refuses a filter term it does not understand, instead of matching everything", async () => {
    const res = await listEntries({ resourceNames: ["projects/acme-prod"], filter: 'severity>="ERROR"' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      'Unsupported filter term (simulator): severity>="ERROR"',
    );
  });

  it("answers 429 past 60 entries.list calls a minute on one project", async () => {
    clock.advance(61_000);
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++)
      statuses.push((await listEntries({ resourceNames: ["projects/acme-prod"] })).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(60);
    expect(statuses.at(-1)).toBe(429);
    clock.advance(61_000);
    expect((await listEntries({ resourceNames: ["projects/acme-prod"] })).status).toBe(200);
  });

  it("logs Azure writes (allowed or refused) in the Activity Log, and reads not at all", async () => {
    const token = cloud.signIn(ALICE);
    const account = `${cloud.urls.azureUrl}/subscriptions/${SUB}/resourceGroups/prod/providers/Microsoft.Storage/storageAccounts/acmeprod?api-version=2023-01-01`;
    const read = await fetch(account, { headers: { authorization: `Bearer ${token}` } });
    const write = await fetch(account, {
      method: "PUT",
      headers: { authorization: `Bearer ${token}` },
      body: "{}",
    });
    expect([read.status, write.status]).toEqual([403, 403]);
    clock.advance(60_000);
    const window = {
      subject: { kind: "grant" as const, request: "alice-prod-db" },
      provider: "azure" as const,
      principal: ALICE,
      scopes: [`/subscriptions/${SUB}/resourceGroups/prod`],
      start: "2026-12-01T09:00:00.000Z",
      end: clock.now().toISOString(),
    };
    const azure = simActivityReaders(cloud, clock.now).find((r) => r.provider === "azure")!;
    const { entries } = await azure.read([window]);
    expect(entries.map((e) => [e.method, e.denied, e.principal])).toEqual([
      ["Microsoft.Storage/storageAccounts/write", true, ALICE],
    ]);
  });

  it("serves IAM roles: get with permissions, list with view=FULL across pages", async () => {
    const [gcp] = simRoleCatalogues(cloud);
    const role = await gcp!.role("roles/storage.objectViewer");
    expect(role.permissions).toContain("storage.objects.get");
    const all = await gcp!.candidates();
    expect(all.find((r) => r.name === "roles/storage.admin")?.permissions.length).toBeGreaterThan(20);
    const basic = await fetch(`${cloud.urls.gcpUrl}/v1/roles?pageSize=2`, {
      headers: { authorization: "Bearer t" },
    });
    const page = (await basic.json()) as {
      roles: { includedPermissions?: string[] }[];
      nextPageToken?: string;
    };
    expect(page.roles).toHaveLength(2);
    expect(page.roles[0]!.includedPermissions).toBeUndefined();
    expect(page.nextPageToken).toBe("2");
  });
});
