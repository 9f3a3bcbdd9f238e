import type { AuthorizationManagementClient, RoleAssignmentScheduleRequest } from "@azure/arm-authorization";
import { randomUUID } from "node:crypto";
import { createCloudSim, type CloudSim, type CloudSimUrls } from "@jitops/sim/cloud";
import { azureClient } from "./helpers/sdk-clients.js";

const SUB = "/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333";
const RG = `${SUB}/resourceGroups/payments`;
const ALICE = "a1ce0000-0000-4000-8000-000000000001";
const READER = `${SUB}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`;
const T0 = new Date("2026-11-24T10:00:00Z");
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

describe("Azure PIM simulator", () => {
  let now = T0;
  let sim: CloudSim;
  let urls: CloudSimUrls;
  let client: AuthorizationManagementClient;

  beforeAll(async () => {
    sim = createCloudSim({ clock: () => now });
    urls = await sim.start();
    client = azureClient(urls, SUB.split("/")[2] ?? "");
  });
  afterAll(() => sim.stop());
  beforeEach(() => {
    now = T0;
    sim.setPimMaxDuration("Reader", null);
  });

  const assign = (principalId: string, extra: Partial<RoleAssignmentScheduleRequest> = {}) =>
    client.roleAssignmentScheduleRequests.create(RG, randomUUID(), {
      principalId,
      roleDefinitionId: READER,
      requestType: "AdminAssign",
      justification: "jitops:req-1",
      scheduleInfo: { startDateTime: now, expiration: { type: "AfterDuration", duration: "PT1H" } },
      ...extra,
    });

  async function put(
    path: string,
    body: unknown,
  ): Promise<{ status: number; json: Record<string, unknown> }> {
    const res = await fetch(`${urls.azureUrl}${path}`, {
      method: "PUT",
      headers: { authorization: "Bearer t", "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  test("role definitions resolve by name to their well-known GUIDs", async () => {
    const defs = [];
    for await (const d of client.roleDefinitions.list(SUB, { filter: "roleName eq 'Reader'" })) defs.push(d);
    expect(defs).toHaveLength(1);
    expect(defs[0]).toMatchObject({
      id: READER,
      name: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
      roleName: "Reader",
      roleType: "BuiltInRole",
    });
    const res = await fetch(
      `${urls.azureUrl}${SUB}/providers/Microsoft.Authorization/roleDefinitions?$filter=roleName%20eq%20'Owner'&api-version=2022-04-01`,
      {
        headers: { authorization: "Bearer t" },
      },
    );
    // Shape: https://learn.microsoft.com/rest/api/authorization/role-definitions/list
    const body = (await res.json()) as {
      value: { id: string; name: string; type: string; properties: Record<string, unknown> }[];
    };
    expect(body.value[0]?.name).toBe("8e3af657-a8ff-443c-a75c-2fe8c4bcb635");
    expect(body.value[0]?.type).toBe("Microsoft.Authorization/roleDefinitions");
    expect(Object.keys(body.value[0]?.properties ?? {})).toEqual(
      expect.arrayContaining(["roleName", "type", "description", "assignableScopes", "permissions"]),
    );
  });

  test("AdminAssign answers 201 with the documented body; access holds until end - 1s, inherited below the scope", async () => {
    const name = randomUUID();
    const r = await put(
      `${RG}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${name}?api-version=2020-10-01`,
      {
        properties: {
          principalId: ALICE,
          roleDefinitionId: READER,
          requestType: "AdminAssign",
          justification: "jitops:req-1",
          scheduleInfo: {
            startDateTime: T0.toISOString(),
            expiration: { type: "AfterDateTime", endDateTime: minutes(60).toISOString() },
          },
        },
      },
    );
    // Shape: https://learn.microsoft.com/rest/api/authorization/role-assignment-schedule-requests/create
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      id: `${RG}/providers/Microsoft.Authorization/RoleAssignmentScheduleRequests/${name}`,
      name,
      type: "Microsoft.Authorization/RoleAssignmentScheduleRequests",
      properties: {
        scope: RG,
        principalId: ALICE,
        roleDefinitionId: READER,
        requestType: "AdminAssign",
        status: "Provisioned",
        justification: "jitops:req-1",
        createdOn: T0.toISOString(),
        scheduleInfo: {
          startDateTime: T0.toISOString(),
          expiration: { type: "AfterDateTime", endDateTime: minutes(60).toISOString() },
        },
      },
    });
    const at = (scope: string, d: Date) => sim.azureHasAccess(scope, ALICE, "Reader", d);
    expect(at(RG, new Date(minutes(60).getTime() - 1000))).toBe(true);
    expect(at(RG, minutes(60))).toBe(false);
    expect(at(`${RG}/providers/Microsoft.Storage/storageAccounts/s1`, minutes(1))).toBe(true);
    expect(at(SUB, minutes(1))).toBe(false);
    expect(sim.azureHasAccess(RG, ALICE, "Contributor", minutes(1))).toBe(false);
  });

  test("a subscription assignment covers its resource groups; schedules and instances list what was made", async () => {
    const bob = randomUUID();
    await client.roleAssignmentScheduleRequests.create(SUB, randomUUID(), {
      principalId: bob,
      roleDefinitionId: READER,
      requestType: "AdminAssign",
      scheduleInfo: { expiration: { type: "AfterDuration", duration: "PT2H" } },
    });
    expect(sim.azureHasAccess(RG, bob, "Reader", minutes(119))).toBe(true);
    const schedules = [];
    for await (const s of client.roleAssignmentSchedules.listForScope(RG, {
      filter: `principalId eq '${bob}'`,
    }))
      schedules.push(s);
    expect(schedules).toHaveLength(1);
    expect(schedules[0]).toMatchObject({
      scope: SUB,
      principalId: bob,
      memberType: "Inherited",
      status: "Provisioned",
    });
    expect(schedules[0]?.endDateTime?.toISOString()).toBe(minutes(120).toISOString());
    const instances = [];
    for await (const i of client.roleAssignmentScheduleInstances.listForScope(SUB, { filter: "atScope()" }))
      instances.push(i);
    expect(instances.map((i) => i.principalId)).toContain(bob);
    now = minutes(121);
    const after = [];
    for await (const i of client.roleAssignmentScheduleInstances.listForScope(SUB)) after.push(i);
    expect(after.map((i) => i.principalId)).not.toContain(bob);
  });

  test("a second AdminAssign for an active assignment gives 409 RoleAssignmentExists", async () => {
    const p = randomUUID();
    await assign(p);
    await expect(assign(p)).rejects.toMatchObject({ statusCode: 409, code: "RoleAssignmentExists" });
  });

  test("AdminRemove: refused within 5 minutes (ActiveDurationTooShort), then Revoked; nothing to remove is RoleAssignmentDoesNotExist", async () => {
    const p = randomUUID();
    await assign(p);
    const remove = () =>
      client.roleAssignmentScheduleRequests.create(RG, randomUUID(), {
        principalId: p,
        roleDefinitionId: READER,
        requestType: "AdminRemove",
      });
    now = minutes(4);
    await expect(remove()).rejects.toMatchObject({ statusCode: 400, code: "ActiveDurationTooShort" });
    now = minutes(5);
    const removed = await remove();
    expect(removed.status).toBe("Revoked");
    expect(sim.azureHasAccess(RG, p, "Reader", minutes(6))).toBe(false);
    expect(sim.azureHasAccess(RG, p, "Reader", minutes(4))).toBe(true);
    await expect(remove()).rejects.toMatchObject({ statusCode: 400, code: "RoleAssignmentDoesNotExist" });
  });

  test("AdminExtend moves the end of an active assignment", async () => {
    const p = randomUUID();
    await assign(p);
    await client.roleAssignmentScheduleRequests.create(RG, randomUUID(), {
      principalId: p,
      roleDefinitionId: READER,
      requestType: "AdminExtend",
      scheduleInfo: { startDateTime: T0, expiration: { type: "AfterDuration", duration: "PT3H" } },
    });
    expect(sim.azureHasAccess(RG, p, "Reader", minutes(179))).toBe(true);
    expect(sim.azureHasAccess(RG, p, "Reader", minutes(180))).toBe(false);
  });

  test("durations under 5 minutes fail ActiveDurationTooShort; the role policy bounds durations (ExpirationRule)", async () => {
    await expect(
      assign(randomUUID(), { scheduleInfo: { expiration: { type: "AfterDuration", duration: "PT4M59S" } } }),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: "ActiveDurationTooShort",
    });
    await expect(
      assign(randomUUID(), { scheduleInfo: { expiration: { type: "AfterDuration", duration: "PT5M" } } }),
    ).resolves.toMatchObject({
      status: "Provisioned",
    });
    sim.setPimMaxDuration("Reader", "PT8H");
    // https://learn.microsoft.com/rest/api/authorization/includes/privileged-role-common-errors
    await expect(
      assign(randomUUID(), { scheduleInfo: { expiration: { type: "AfterDuration", duration: "PT8H1M" } } }),
    ).rejects.toMatchObject({
      statusCode: 400,
      code: "RoleAssignmentRequestPolicyValidationFailed",
      message: 'The following policy rules failed: ["ExpirationRule"]',
    });
    await expect(
      assign(randomUUID(), { scheduleInfo: { expiration: { type: "NoExpiration" } } }),
    ).rejects.toMatchObject({
      code: "RoleAssignmentRequestPolicyValidationFailed",
    });
    await expect(
      assign(randomUUID(), { scheduleInfo: { expiration: { type: "AfterDuration", duration: "PT8H" } } }),
    ).resolves.toBeDefined();
  });

  test.each([
    ["no api-version", "", 400, "MissingApiVersionParameter"],
    ["unknown api-version", "?api-version=1999-01-01", 400, "InvalidApiVersionParameter"],
  ])("ARM refuses a call with %s", async (_n, query, status, code) => {
    const r = await put(
      `${RG}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${randomUUID()}${query}`,
      {
        properties: { principalId: ALICE, roleDefinitionId: READER, requestType: "AdminAssign" },
      },
    );
    expect(r).toEqual({ status, json: { error: { code, message: expect.any(String) } } });
  });

  test.each([
    [
      "an unknown role definition",
      { roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/${randomUUID()}` },
      "RoleDefinitionDoesNotExist",
    ],
    ["a bad request type", { requestType: "Grant" }, "InvalidRequestContent"],
    ["a bad principal id", { principalId: "alice" }, "InvalidRequestContent"],
    [
      "a bad duration",
      { scheduleInfo: { expiration: { type: "AfterDuration", duration: "8 hours" } } },
      "InvalidRequestContent",
    ],
  ])("400 for %s", async (_n, props, code) => {
    const r = await put(
      `${RG}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/${randomUUID()}?api-version=2020-10-01`,
      {
        properties: {
          principalId: randomUUID(),
          roleDefinitionId: READER,
          requestType: "AdminAssign",
          ...props,
        },
      },
    );
    expect(r.status).toBe(400);
    expect((r.json.error as { code: string }).code).toBe(code);
  });

  test("calls without a bearer token answer 401 AuthenticationFailed", async () => {
    const res = await fetch(
      `${urls.azureUrl}${SUB}/providers/Microsoft.Authorization/roleDefinitions?api-version=2022-04-01`,
    );
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("AuthenticationFailed");
  });
});
