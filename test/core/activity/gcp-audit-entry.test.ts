import { gcpAuditEntry, gcpAuditFilter } from "../../../core/activity/gcp-audit-entry.js";

// Shapes from https://cloud.google.com/logging/docs/reference/audit/auditlog/rest/Shared.Types/AuditLog.
const entry = (over: Record<string, unknown> = {}, payload: Record<string, unknown> = {}) => ({
  logName: "projects/acme-prod/logs/cloudaudit.googleapis.com%2Factivity",
  insertId: "abc123",
  timestamp: "2026-12-01T10:05:00.123Z",
  protoPayload: {
    "@type": "type.googleapis.com/google.cloud.audit.AuditLog",
    serviceName: "cloudsql.googleapis.com",
    methodName: "cloudsql.instances.restart",
    resourceName: "projects/acme-prod/instances/orders-db",
    authenticationInfo: { principalEmail: "alice@acme.example" },
    authorizationInfo: [{ permission: "cloudsql.instances.restart", granted: true, resource: "x" }],
    ...payload,
  },
  ...over,
});

describe("gcpAuditEntry", () => {
  it.each([
    [
      "an Admin Activity call",
      entry(),
      { log: "admin-activity", principal: "alice@acme.example", denied: false },
    ],
    [
      "a Data Access read",
      entry({ logName: "projects/acme-prod/logs/cloudaudit.googleapis.com%2Fdata_access" }),
      { log: "data-access" },
    ],
    [
      "a refusal (PERMISSION_DENIED)",
      entry(
        {},
        {
          status: { code: 7, message: "PERMISSION_DENIED" },
          authorizationInfo: [{ permission: "p", granted: false }],
        },
      ),
      { denied: true, permissions: ["p"] },
    ],
    [
      "a person impersonating a service account",
      entry(
        {},
        {
          authenticationInfo: {
            principalEmail: "deployer@acme-prod.iam.gserviceaccount.com",
            serviceAccountDelegationInfo: [{ firstPartyPrincipal: { principalEmail: "alice@acme.example" } }],
          },
        },
      ),
      { principal: "deployer@acme-prod.iam.gserviceaccount.com", onBehalfOf: "alice@acme.example" },
    ],
    [
      "a federated workload acting directly",
      entry(
        {},
        {
          authenticationInfo: {
            principalSubject:
              "principal://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/subject/x",
          },
        },
      ),
      {
        principal:
          "principal://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/subject/x",
      },
    ],
  ])("reads %s", (_name, raw, expected) => {
    expect(gcpAuditEntry(raw)).toMatchObject(expected);
  });

  it.each([
    ["a system event", entry({ logName: "projects/p/logs/cloudaudit.googleapis.com%2Fsystem_event" })],
    ["an application log", entry({ logName: "projects/p/logs/app" })],
    ["an entry without a caller", entry({}, { authenticationInfo: {} })],
    ["not an object", "x"],
  ])("ignores %s", (_name, raw) => {
    expect(gcpAuditEntry(raw)).toBeUndefined();
  });

  it("filters on the audit logs, the span and every field that can name the principal, quoting values", () => {
    expect(gcpAuditFilter(['a"b@x'], "2026-12-01T10:00:00.000Z", "2026-12-01T14:00:00.000Z")).toBe(
      'logName:"cloudaudit.googleapis.com" AND timestamp>="2026-12-01T10:00:00.000Z" AND timestamp<="2026-12-01T14:00:00.000Z" AND ' +
        '(protoPayload.authenticationInfo.principalEmail="a\\"b@x" OR protoPayload.authenticationInfo.principalSubject="a\\"b@x" OR ' +
        'protoPayload.authenticationInfo.serviceAccountDelegationInfo.firstPartyPrincipal.principalEmail="a\\"b@x")',
    );
  });
});
