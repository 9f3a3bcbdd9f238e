import nock from "nock";
import type { Binding } from "../../core/plan/binding.js";
import { armPimClient } from "../../providers/azure-pim-client.js";
import { azureProvider, requestName } from "../../providers/azure-provider.js";
import { aliceBinding } from "../fixtures/bindings.js";

// The exact ARM requests the Azure provider sends to PIM (CONTRACTS.md, Azure).

const ARM = "https://management.azure.com";
const SCOPE = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/prod";
const READER = `/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`;
const ALICE = "0f8c1a52-6f2b-4d7e-9a51-3c1f0a9b7e01";
const NOW = new Date("2026-11-24T10:00:00Z");
const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function binding(over: Partial<Binding> = {}): Binding {
  return aliceBinding(
    { provider: "azure", grant: { azure: { scope: SCOPE, role: "Reader" } }, principal: ALICE },
    over,
  );
}

function provider() {
  const credential = {
    getToken: async () => ({ token: "contract-token", expiresOnTimestamp: Date.now() + 3600_000 }),
  };
  return azureProvider(armPimClient(credential), () => NOW);
}

/** Expects the role lookup and the (empty) list of earlier requests; returns the captured PUTs. */
function arm(puts: { name: string; query: Record<string, string>; body: unknown; auth: unknown }[]) {
  return nock(ARM)
    .get(`${SCOPE}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests`)
    .query({ "api-version": "2020-10-01" })
    .reply(200, { value: [] })
    .get(`${SCOPE}/providers/Microsoft.Authorization/roleDefinitions`)
    .query({ $filter: "roleName eq 'Reader'", "api-version": "2022-04-01" })
    .reply(200, {
      value: [
        {
          id: READER,
          name: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
          type: "Microsoft.Authorization/roleDefinitions",
          properties: { roleName: "Reader", type: "BuiltInRole", permissions: [] },
        },
      ],
    })
    .put((uri) =>
      uri.startsWith(`${SCOPE}/providers/Microsoft.Authorization/roleAssignmentScheduleRequests/`),
    )
    .query(true)
    .reply(function (uri, body) {
      const url = new URL(uri, ARM);
      puts.push({
        name: url.pathname.split("/").pop()!,
        query: Object.fromEntries(url.searchParams),
        body,
        auth: this.req.headers.authorization,
      });
      return [
        201,
        { id: url.pathname, name: url.pathname.split("/").pop(), properties: { status: "Provisioned" } },
      ];
    });
}

describe("Azure PIM contract (nock)", () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  it("assigns with AdminAssign, the full roleDefinitionId, an AfterDateTime expiry and a jitops:<binding id> justification", async () => {
    const puts: Parameters<typeof arm>[0] = [];
    const scope = arm(puts);
    const report = await provider().reconcile({ put: [binding()], remove: [] });

    expect(report).toEqual({ done: ["alice-prod-db/azure/0"], failed: [] });
    expect(scope.isDone()).toBe(true);
    expect(puts).toHaveLength(1);
    const put = puts[0]!;
    expect(put.query).toEqual({ "api-version": "2020-10-01" });
    expect(put.auth).toBe("Bearer contract-token");
    expect(put.name).toMatch(UUID_V5);
    expect(put.name).toBe(requestName("alice-prod-db/azure/0", "AdminAssign", "2026-11-24T14:00:00.000Z"));
    expect(put.body).toEqual({
      properties: {
        principalId: ALICE,
        roleDefinitionId: READER,
        requestType: "AdminAssign",
        justification: expect.stringMatching(/^jitops:alice-prod-db\/azure\/0 /),
        scheduleInfo: {
          startDateTime: "2026-11-24T10:00:00.000Z",
          expiration: { type: "AfterDateTime", endDateTime: "2026-11-24T14:00:00.000Z" },
        },
      },
    });
  });

  it("names the request deterministically: the same binding gives the same UUIDv5, another window another", async () => {
    const names: string[] = [];
    for (const b of [binding(), binding(), binding({ notAfter: "2026-11-24T16:00:00.000Z" })]) {
      const puts: Parameters<typeof arm>[0] = [];
      arm(puts);
      await provider().reconcile({ put: [b], remove: [] });
      names.push(puts[0]!.name);
    }
    expect(names[0]).toMatch(UUID_V5);
    expect(names[1]).toBe(names[0]);
    expect(names[2]).not.toBe(names[0]);
  });
});
