import { azureActivityEntry, azureActivityFilter } from "../../../core/activity/azure-activity-event.js";

// Shape: https://learn.microsoft.com/azure/azure-monitor/essentials/activity-log-schema#administrative-category
const event = (over: Record<string, unknown> = {}) => ({
  caller: "0f8c1a52-6f2b-4d7e-9a51-3c1f0a9b7e01",
  eventDataId: "e1",
  eventTimestamp: "2026-12-01T10:05:00Z",
  category: { value: "Administrative", localizedValue: "Administrative" },
  operationName: {
    value: "Microsoft.Storage/storageAccounts/write",
    localizedValue: "Create/Update Storage Account",
  },
  resourceProviderName: { value: "Microsoft.Storage" },
  resourceId: "/subscriptions/s/resourceGroups/prod/providers/Microsoft.Storage/storageAccounts/a",
  status: { value: "Succeeded" },
  subStatus: { value: "OK" },
  authorization: { action: "Microsoft.Storage/storageAccounts/write", scope: "/subscriptions/s" },
  ...over,
});

describe("azureActivityEntry", () => {
  it("reads a write: caller, operation as the permission, resource", () => {
    expect(azureActivityEntry(event())).toEqual({
      provider: "azure",
      log: "activity-log",
      id: "e1",
      time: "2026-12-01T10:05:00Z",
      principal: "0f8c1a52-6f2b-4d7e-9a51-3c1f0a9b7e01",
      service: "Microsoft.Storage",
      method: "Microsoft.Storage/storageAccounts/write",
      resource: "/subscriptions/s/resourceGroups/prod/providers/Microsoft.Storage/storageAccounts/a",
      permissions: ["Microsoft.Storage/storageAccounts/write"],
      denied: false,
    });
  });

  it("marks a Forbidden failure as denied, and keeps a service principal's application id", () => {
    expect(
      azureActivityEntry(
        event({ status: { value: "Failed" }, subStatus: { value: "Forbidden" }, claims: { appid: "5d0b" } }),
      ),
    ).toMatchObject({ denied: true, application: "5d0b" });
  });

  it("ignores events that are not calls (Policy, Autoscale) and events without a caller", () => {
    expect(azureActivityEntry(event({ category: { value: "Policy" } }))).toBeUndefined();
    expect(azureActivityEntry(event({ caller: undefined }))).toBeUndefined();
  });

  it("filters on time only: the documented filter cannot name the caller", () => {
    expect(azureActivityFilter("2026-12-01T10:00:00Z", "2026-12-01T14:00:00Z")).toBe(
      "eventTimestamp ge '2026-12-01T10:00:00Z' and eventTimestamp le '2026-12-01T14:00:00Z'",
    );
  });
});
