import { KubernetesAuditStore } from "../../activity/kubernetes-audit-store.js";
import { kubernetesAuditWebhook } from "../../activity/kubernetes-audit-webhook.js";

const NOW = new Date("2026-12-01T10:00:00Z");
const batch = (ids: string[], user = "alice@acme.example") =>
  JSON.stringify({
    kind: "EventList",
    apiVersion: "audit.k8s.io/v1",
    items: ids.map((auditID) => ({
      auditID,
      stage: "ResponseComplete",
      verb: "get",
      user: { username: user },
      objectRef: { resource: "pods", namespace: "payments", name: "api-0" },
      responseStatus: { code: 200 },
      stageTimestamp: "2026-12-01T10:30:00Z",
    })),
  });
const window = {
  subject: { kind: "grant" as const, request: "alice-prod-db" },
  provider: "kubernetes" as const,
  principal: "alice@acme.example",
  scopes: ["prod"],
  start: "2026-12-01T10:00:00Z",
  end: "2026-12-01T14:00:00Z",
};

function setup(token: string | undefined = "s3cret", max?: number) {
  const store = new KubernetesAuditStore(() => NOW, max);
  return { store, hook: kubernetesAuditWebhook({ token, clusters: ["prod"], store }) };
}

describe("the Kubernetes audit webhook", () => {
  it("stores a cluster's batch once (a resent batch adds nothing) for the activity reader", async () => {
    const { store, hook } = setup();
    const req = { authorization: "Bearer s3cret", cluster: "prod", body: batch(["a", "b"]) };
    expect(hook(req)).toEqual({ status: 200, body: { ok: true, received: 2, stored: 2 } });
    expect(hook(req).body).toEqual({ ok: true, received: 2, stored: 0 });
    const read = await store.reader().read([window]);
    expect(read.entries.map((e) => e.id)).toEqual(["prod/a", "prod/b"]);
    expect(read.sources[0]).toMatchObject({ log: "kubernetes-audit", available: true });
    expect(read.sources[0]!.note).toMatch(
      /held in memory by this bot instance since 2026-12-01T10:00:00.000Z; a restart loses/,
    );
  });

  it("invariant: audit events are accepted only with the configured bearer token", () => {
    const { hook, store } = setup();
    for (const authorization of [undefined, "Bearer wrong", "Bearer s3cre", "s3cret", "Basic s3cret"])
      expect(hook({ authorization, cluster: "prod", body: batch(["a"]) })).toEqual({
        status: 401,
        body: {
          ok: false,
          code: "activity.k8s-audit-unauthorized",
          message: "a bearer token equal to JITOPS_K8S_AUDIT_TOKEN is required",
        },
      });
    expect(store.add("prod", [])).toBe(0);
  });

  it("invariant: without JITOPS_K8S_AUDIT_TOKEN the endpoint accepts nothing", () => {
    expect(setup("").hook({ authorization: "Bearer ", cluster: "prod", body: batch(["a"]) })).toEqual({
      status: 503,
      body: {
        ok: false,
        code: "activity.k8s-audit-token-unset",
        message: "JITOPS_K8S_AUDIT_TOKEN is not set: the audit endpoint accepts nothing until it is",
      },
    });
  });

  it.each([
    [
      "a cluster policy does not name",
      { cluster: "staging", body: batch(["a"]) },
      400,
      "activity.k8s-audit-cluster",
      'cluster "staging" is not a cluster of policy; accepted: prod',
    ],
    [
      "a body that is not JSON",
      { cluster: "prod", body: "{" },
      400,
      "activity.k8s-audit-invalid",
      "the body is not JSON; expected an audit.k8s.io/v1 EventList",
    ],
    [
      "a batch over the size limit",
      { cluster: "prod", body: " ".repeat(10 * 1024 * 1024 + 1) },
      413,
      "activity.k8s-audit-too-large",
      "the batch is over 10485760 bytes",
    ],
  ])("refuses %s", (_n, req, status, code, message) => {
    expect(setup().hook({ authorization: "Bearer s3cret", ...req })).toEqual({
      status,
      body: { ok: false, code, message },
    });
  });

  it("holds a bounded number of entries and says since when the oldest is known", async () => {
    const { store } = setup("s3cret", 2);
    const { hook } = { hook: kubernetesAuditWebhook({ token: "s3cret", clusters: ["prod"], store }) };
    hook({ authorization: "Bearer s3cret", cluster: "prod", body: batch(["a", "b", "c"]) });
    const read = await store.reader().read([window]);
    expect(read.entries.map((e) => e.id)).toEqual(["prod/b", "prod/c"]);
    expect(read.sources[0]!.note).toMatch(/since 2026-12-01T10:30:00Z: calls before that are not known/);
  });

  it("says the log is unavailable for a cluster it never heard from (never no activity)", async () => {
    const read = await setup().store.reader().read([window]);
    expect(read.sources[0]).toMatchObject({ available: false });
  });
});
