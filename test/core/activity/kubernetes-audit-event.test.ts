import { kubernetesAuditBatch } from "../../../core/activity/kubernetes-audit-event.js";

// Shape: https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/#audit-k8s-io-v1-Event
const ev = (over: Record<string, unknown> = {}) => ({
  kind: "Event",
  apiVersion: "audit.k8s.io/v1",
  level: "Metadata",
  auditID: "a1",
  stage: "ResponseComplete",
  requestURI: "/api/v1/namespaces/payments/pods",
  verb: "list",
  user: { username: "alice@acme.example", groups: ["system:authenticated"] },
  objectRef: { resource: "pods", namespace: "payments", apiVersion: "v1" },
  responseStatus: { code: 200 },
  requestReceivedTimestamp: "2026-12-01T10:05:00.000000Z",
  stageTimestamp: "2026-12-01T10:05:00.010000Z",
  ...over,
});
const list = (items: unknown[]) => ({ kind: "EventList", apiVersion: "audit.k8s.io/v1", items });

describe("kubernetesAuditBatch", () => {
  it("reads the ResponseComplete stage of each request as one call", () => {
    const r = kubernetesAuditBatch(list([ev({ stage: "RequestReceived" }), ev()]), "prod");
    expect(r).toEqual({
      ok: true,
      skipped: 1,
      entries: [
        {
          provider: "kubernetes",
          log: "kubernetes-audit",
          id: "a1",
          time: "2026-12-01T10:05:00.010000Z",
          principal: "alice@acme.example",
          service: "prod/core",
          method: "list pods",
          resource: "namespaces/payments/pods",
          permissions: ["list pods"],
          denied: false,
        },
      ],
    });
  });

  it("names the impersonated user as the principal and the impersonator as on behalf of; 403 is denied", () => {
    const r = kubernetesAuditBatch(
      list([
        ev({
          impersonatedUser: { username: "system:serviceaccount:payments:api" },
          responseStatus: { code: 403 },
        }),
      ]),
      "prod",
    );
    expect(r.ok && r.entries[0]).toMatchObject({
      principal: "system:serviceaccount:payments:api",
      onBehalfOf: "alice@acme.example",
      denied: true,
    });
  });

  it.each([
    ["not an object", [], "the body is not a JSON object; expected an audit.k8s.io/v1 EventList"],
    [
      "another kind",
      { apiVersion: "v1", kind: "List", items: [] },
      'apiVersion "v1", kind "List": expected apiVersion audit.k8s.io/v1, kind EventList',
    ],
    [
      "items missing",
      { apiVersion: "audit.k8s.io/v1", kind: "EventList" },
      "items is not a list of audit events",
    ],
  ])("refuses %s with activity.k8s-audit-invalid", (_n, body, message) => {
    expect(kubernetesAuditBatch(body, "prod")).toEqual({
      ok: false,
      error: { code: "activity.k8s-audit-invalid", message },
    });
  });
});
