import type { ProjectsClient } from "@google-cloud/resource-manager";
import { createCloudSim, type CloudSim, type CloudSimUrls } from "@jitops/sim/cloud";
import { gcpClients } from "./helpers/sdk-clients.js";

const NOT_AFTER = "2026-11-24T18:00:00Z";
const until = (t: string): string => `request.time < timestamp("${t}")`;
const grant = (member: string, expression = until(NOT_AFTER)) => ({
  role: "roles/browser",
  members: [member],
  condition: { title: "jitops:req-1", description: "jitops grant", expression },
});

describe("GCP Resource Manager IAM simulator", () => {
  let sim: CloudSim;
  let urls: CloudSimUrls;
  let projects: ProjectsClient;

  beforeAll(async () => {
    sim = createCloudSim();
    urls = await sim.start();
    ({ projects } = gcpClients(urls));
  });
  afterAll(async () => {
    await projects.close();
    await sim.stop();
  });
  beforeEach(() => {
    sim.gcpSetPolicy("projects/p1", [{ role: "roles/owner", members: ["user:owner@example.com"] }]);
  });

  async function post(
    path: string,
    body: unknown,
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`${urls.gcpUrl}${path}`, {
      method: "POST",
      headers: { authorization: "Bearer t", "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  test("the real ProjectsClient reads and writes a conditional binding; other bindings survive", async () => {
    const [read] = await projects.getIamPolicy({
      resource: "projects/p1",
      options: { requestedPolicyVersion: 3 },
    });
    const bindings = [...(read.bindings ?? []), grant("user:alice@example.com")];
    const [written] = await projects.setIamPolicy({
      resource: "projects/p1",
      policy: { version: 3, etag: read.etag, bindings },
      updateMask: { paths: ["bindings", "etag"] },
    });
    expect(written.version).toBe(3);
    expect(Buffer.from(written.etag as Uint8Array).toString("base64")).not.toBe(
      Buffer.from(read.etag as Uint8Array).toString("base64"),
    );
    const stored = sim.gcpPolicy("projects/p1");
    expect(stored.bindings).toEqual([
      { role: "roles/owner", members: ["user:owner@example.com"] },
      grant("user:alice@example.com"),
    ]);
  });

  test("folders and organizations clients work too; unknown resources answer 403", async () => {
    sim.gcpCreateResource("folders/42");
    sim.gcpCreateResource("organizations/7");
    const { folders, organizations } = gcpClients(urls);
    const [f] = await folders.getIamPolicy({ resource: "folders/42" });
    const [o] = await organizations.getIamPolicy({ resource: "organizations/7" });
    expect(f.version).toBe(1);
    expect(o.bindings ?? []).toEqual([]);
    await expect(projects.getIamPolicy({ resource: "projects/nope" })).rejects.toMatchObject({ status: 403 });
    await folders.close();
    await organizations.close();
  });

  test("access holds at notAfter - 1s and not at notAfter; inherited from a parent folder", () => {
    sim.gcpSetPolicy("projects/p1", [grant("user:alice@example.com")]);
    const end = new Date(NOT_AFTER);
    expect(
      sim.gcpHasAccess(
        "projects/p1",
        "user:alice@example.com",
        "roles/browser",
        new Date(end.getTime() - 1000),
      ),
    ).toBe(true);
    expect(sim.gcpHasAccess("projects/p1", "user:alice@example.com", "roles/browser", end)).toBe(false);
    expect(sim.gcpHasAccess("projects/p1", "user:bob@example.com", "roles/browser", new Date(0))).toBe(false);

    const window = `${until(NOT_AFTER)} && request.time >= timestamp("2026-11-24T10:00:00Z")`;
    sim.gcpSetPolicy("folders/9", [grant("user:carol@example.com", window)]);
    sim.gcpCreateResource("projects/child", { parent: "folders/9" });
    const at = (t: string) =>
      sim.gcpHasAccess("projects/child", "user:carol@example.com", "roles/browser", new Date(t));
    expect(at("2026-11-24T09:59:59Z")).toBe(false);
    expect(at("2026-11-24T10:00:00Z")).toBe(true);
    expect(at("2026-11-24T17:59:59Z")).toBe(true);
    expect(at("2026-11-24T18:00:00Z")).toBe(false);
  });

  test("a stale etag gives 409 ABORTED; a missing etag is a blind write", async () => {
    const first = await post("/v3/projects/p1:getIamPolicy", { options: { requestedPolicyVersion: 3 } });
    const etag = first.json.etag as string;
    expect(Buffer.from(etag, "base64").length).toBeGreaterThan(0);
    const ok = await post("/v3/projects/p1:setIamPolicy", {
      policy: { version: 3, etag, bindings: [grant("user:a@example.com")] },
    });
    expect(ok.status).toBe(200);
    const stale = await post("/v3/projects/p1:setIamPolicy", { policy: { version: 3, etag, bindings: [] } });
    // Error shape: https://cloud.google.com/apis/design/errors#http_mapping
    expect(stale).toEqual({
      status: 409,
      json: {
        error: {
          code: 409,
          status: "ABORTED",
          message: expect.stringContaining("concurrent policy changes"),
        },
      },
    });
    const [read] = await projects.getIamPolicy({
      resource: "projects/p1",
      options: { requestedPolicyVersion: 3 },
    });
    await expect(
      projects.setIamPolicy({
        resource: "projects/p1",
        policy: { version: 3, etag: Buffer.from(etag, "base64"), bindings: [] },
      }),
    ).rejects.toMatchObject({ status: 409 });
    expect(read.bindings).toHaveLength(1);
    const blind = await post("/v3/projects/p1:setIamPolicy", { policy: { bindings: [] } });
    expect(blind.status).toBe(200);
  });

  test("version 1 reads hide conditions behind _withcond_ roles; version 3 shows them", async () => {
    sim.gcpSetPolicy("projects/p1", [
      { role: "roles/viewer", members: ["user:v@example.com"] },
      grant("user:a@example.com"),
    ]);
    // https://cloud.google.com/iam/docs/troubleshooting-withcond
    const v1 = await post("/v3/projects/p1:getIamPolicy", { options: { requestedPolicyVersion: 1 } });
    expect(v1.json.version).toBe(1);
    const roles = (v1.json.bindings as { role: string; condition?: unknown }[]).map((b) => b.role);
    expect(roles[0]).toBe("roles/viewer");
    expect(roles[1]).toMatch(/^roles\/browser_withcond_[0-9a-f]{20}$/);
    expect((v1.json.bindings as { condition?: unknown }[]).every((b) => b.condition === undefined)).toBe(
      true,
    );
    const none = await post("/v3/projects/p1:getIamPolicy", {});
    expect(none.json.version).toBe(1);
    const v3 = await post("/v3/projects/p1:getIamPolicy", { options: { requestedPolicyVersion: 3 } });
    expect(v3.json.version).toBe(3);
    expect(Object.keys(v3.json).sort()).toEqual(["bindings", "etag", "version"]);
    expect((v3.json.bindings as unknown[])[1]).toEqual(grant("user:a@example.com"));
  });

  test("a version 3 request on an unconditional policy answers version 1", async () => {
    const r = await post("/v3/projects/p1:getIamPolicy", { options: { requestedPolicyVersion: 3 } });
    expect(r.json.version).toBe(1);
    expect(
      (await post("/v3/projects/p1:getIamPolicy", { options: { requestedPolicyVersion: 2 } })).status,
    ).toBe(400);
  });

  test("a version 1 write with an etag onto a policy holding conditions fails 400; without an etag it drops them", async () => {
    sim.gcpSetPolicy("projects/p1", [grant("user:a@example.com")]);
    const { json } = await post("/v3/projects/p1:getIamPolicy", { options: { requestedPolicyVersion: 1 } });
    const withEtag = await post("/v3/projects/p1:setIamPolicy", {
      policy: { version: 1, etag: json.etag, bindings: [] },
    });
    expect(withEtag.status).toBe(400);
    expect((withEtag.json.error as { status: string }).status).toBe("INVALID_ARGUMENT");
    const blind = await post("/v3/projects/p1:setIamPolicy", {
      policy: { version: 1, bindings: [{ role: "roles/viewer", members: ["user:v@example.com"] }] },
    });
    expect(blind.status).toBe(200);
    expect(sim.gcpPolicy("projects/p1").bindings).toEqual([
      { role: "roles/viewer", members: ["user:v@example.com"] },
    ]);
  });

  const cond = (expression: string, title = "t") => ({ title, expression });
  test.each([
    ["conditions need version 3", { version: 1, bindings: [grant("user:a@example.com")] }],
    [
      "title required",
      {
        version: 3,
        bindings: [
          { role: "roles/browser", members: ["user:a@example.com"], condition: cond(until(NOT_AFTER), "") },
        ],
      },
    ],
    [
      "only request.time bounds",
      {
        version: 3,
        bindings: [
          { role: "roles/browser", members: ["user:a@example.com"], condition: cond('resource.name == "x"') },
        ],
      },
    ],
    [
      "upper bound required",
      {
        version: 3,
        bindings: [
          {
            role: "roles/browser",
            members: ["user:a@example.com"],
            condition: cond('request.time >= timestamp("2026-01-01T00:00:00Z")'),
          },
        ],
      },
    ],
    [
      "RFC 3339 timestamps",
      {
        version: 3,
        bindings: [
          {
            role: "roles/browser",
            members: ["user:a@example.com"],
            condition: cond('request.time < timestamp("tomorrow")'),
          },
        ],
      },
    ],
    [
      "no || ",
      {
        version: 3,
        bindings: [
          {
            role: "roles/browser",
            members: ["user:a@example.com"],
            condition: cond(`${until(NOT_AFTER)} || true`),
          },
        ],
      },
    ],
    [
      "no conditions on roles/owner",
      {
        version: 3,
        bindings: [
          { role: "roles/owner", members: ["user:a@example.com"], condition: cond(until(NOT_AFTER)) },
        ],
      },
    ],
    [
      "no conditions on roles/editor",
      {
        version: 3,
        bindings: [
          { role: "roles/editor", members: ["user:a@example.com"], condition: cond(until(NOT_AFTER)) },
        ],
      },
    ],
    [
      "no conditions on roles/viewer",
      {
        version: 3,
        bindings: [
          { role: "roles/viewer", members: ["user:a@example.com"], condition: cond(until(NOT_AFTER)) },
        ],
      },
    ],
    [
      "no conditions for allUsers",
      {
        version: 3,
        bindings: [{ role: "roles/browser", members: ["allUsers"], condition: cond(until(NOT_AFTER)) }],
      },
    ],
    [
      "no conditions for allAuthenticatedUsers",
      {
        version: 3,
        bindings: [
          { role: "roles/browser", members: ["allAuthenticatedUsers"], condition: cond(until(NOT_AFTER)) },
        ],
      },
    ],
    [
      "valid principals",
      { version: 3, bindings: [{ role: "roles/browser", members: ["alice@example.com"] }] },
    ],
    ["valid roles", { version: 3, bindings: [{ role: "browser", members: ["user:a@example.com"] }] }],
    [
      "no _withcond_ roles",
      {
        version: 3,
        bindings: [{ role: "roles/browser_withcond_0123456789abcdef0123", members: ["user:a@example.com"] }],
      },
    ],
    ["versions 0, 1, 3", { version: 2, bindings: [] }],
    [
      "at most 20 conditional bindings per role and principal",
      {
        version: 3,
        bindings: Array.from({ length: 21 }, (_, i) => ({
          role: "roles/browser",
          members: ["user:a@example.com"],
          condition: cond(until(`2030-01-01T00:00:${String(i).padStart(2, "0")}Z`)),
        })),
      },
    ],
    [
      "at most 1,500 principals",
      {
        version: 1,
        bindings: [
          {
            role: "roles/browser",
            members: Array.from({ length: 1501 }, (_, i) => `user:u${i}@example.com`),
          },
        ],
      },
    ],
  ])("400 INVALID_ARGUMENT: %s", async (_name, policy) => {
    const r = await post("/v3/projects/p1:setIamPolicy", { policy });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code: 400, status: "INVALID_ARGUMENT" });
  });

  test.each([
    ["lower bound first", `request.time >= timestamp("2026-11-24T10:00:00Z") && ${until(NOT_AFTER)}`],
    ["single quotes and fractions", "request.time < timestamp('2026-11-24T18:00:00.000Z')"],
    ["offsets", 'request.time < timestamp("2026-11-24T19:00:00+01:00")'],
  ])("accepted condition: %s", async (_name, expression) => {
    const r = await post("/v3/projects/p1:setIamPolicy", {
      policy: {
        version: 3,
        bindings: [{ role: "roles/browser", members: ["user:a@example.com"], condition: cond(expression) }],
      },
    });
    expect(r.status).toBe(200);
    expect(
      sim.gcpHasAccess(
        "projects/p1",
        "user:a@example.com",
        "roles/browser",
        new Date("2026-11-24T17:59:59Z"),
      ),
    ).toBe(true);
    expect(sim.gcpHasAccess("projects/p1", "user:a@example.com", "roles/browser", new Date(NOT_AFTER))).toBe(
      false,
    );
  });

  test("20 conditional bindings for one role and principal are fine; 1,500 principals are fine", async () => {
    const twenty = Array.from({ length: 20 }, (_, i) => ({
      role: "roles/browser",
      members: ["user:a@example.com"],
      condition: cond(until(`2030-01-01T00:00:${String(i).padStart(2, "0")}Z`)),
    }));
    expect(
      (await post("/v3/projects/p1:setIamPolicy", { policy: { version: 3, bindings: twenty } })).status,
    ).toBe(200);
    const many = [
      { role: "roles/browser", members: Array.from({ length: 1500 }, (_, i) => `user:u${i}@example.com`) },
    ];
    expect((await post("/v3/projects/p1:setIamPolicy", { policy: { bindings: many } })).status).toBe(200);
  });

  test("calls without a bearer token answer 401 UNAUTHENTICATED", async () => {
    const res = await fetch(`${urls.gcpUrl}/v3/projects/p1:getIamPolicy`, { method: "POST", body: "{}" });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { status: string } }).error.status).toBe("UNAUTHENTICATED");
  });
});
