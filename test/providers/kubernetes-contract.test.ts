import { KubeConfig } from "@kubernetes/client-node";
import nock from "nock";
import type { Binding } from "../../core/plan/binding.js";
import { kubeRbacClient } from "../../providers/kubernetes-rbac-client.js";
import { kubernetesProvider } from "../../providers/kubernetes-provider.js";
import { aliceBinding } from "../fixtures/bindings.js";

// The exact RBAC requests the Kubernetes provider sends (CONTRACTS.md, Kubernetes).

const SERVER = "https://k8s.contract.example:6443";
const PATH = "/apis/rbac.authorization.k8s.io/v1/namespaces/payments/rolebindings";
const NOW = new Date("2026-11-24T10:00:00Z");

function binding(over: Partial<Binding> = {}): Binding {
  return aliceBinding(
    {
      provider: "kubernetes",
      grant: { kubernetes: { cluster: "prod", namespace: "payments", clusterRole: "view" } },
      principal: "alice@acme.example",
    },
    over,
  );
}

function provider() {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: "prod", server: SERVER }],
    users: [{ name: "jitops", token: "contract-token" }],
    contexts: [{ name: "prod", cluster: "prod", user: "jitops" }],
    currentContext: "prod",
  });
  return kubernetesProvider({ prod: kubeRbacClient(kc) }, () => NOW);
}

const BODY = {
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind: "RoleBinding",
  metadata: {
    name: "jitops-alice-prod-db-0",
    namespace: "payments",
    labels: { "app.kubernetes.io/managed-by": "jitops", "jitops.dev/request": "alice-prod-db" },
    annotations: {
      "jitops.dev/binding-id": "alice-prod-db/kubernetes/0",
      "jitops.dev/not-before": "2026-11-24T10:00:00.000Z",
      "jitops.dev/not-after": "2026-11-24T14:00:00.000Z",
      "jitops.dev/entitlement": "prod-db-reader",
    },
  },
  roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
  subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "alice@acme.example" }],
};

describe("Kubernetes RBAC contract (nock)", () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  it("creates a RoleBinding with the jitops labels, annotations, roleRef and subject", async () => {
    const seen: { body: unknown; auth: unknown }[] = [];
    const scope = nock(SERVER)
      .post(PATH)
      .reply(function (_uri, body) {
        seen.push({ body, auth: this.req.headers.authorization });
        return [201, body];
      });
    const report = await provider().reconcile({ put: [binding()], remove: [] });
    expect(report).toEqual({ done: ["alice-prod-db/kubernetes/0"], failed: [] });
    expect(scope.isDone()).toBe(true);
    expect(seen).toEqual([{ body: BODY, auth: "Bearer contract-token" }]);
  });

  it("lists by the jitops label selector, reads the binding back from its annotations, and deletes it by name", async () => {
    nock(SERVER)
      .get(PATH)
      .query({ labelSelector: "app.kubernetes.io/managed-by=jitops" })
      .reply(200, {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBindingList",
        metadata: {},
        items: [BODY],
      })
      .delete(`${PATH}/jitops-alice-prod-db-0`)
      .reply(200, { kind: "Status", apiVersion: "v1", status: "Success" });
    const p = provider();
    const held = await p.list(["prod/payments"]);
    expect(held).toEqual([
      {
        id: "alice-prod-db/kubernetes/0",
        requestId: "alice-prod-db",
        provider: "kubernetes",
        principal: "alice@acme.example",
        notBefore: "2026-11-24T10:00:00.000Z",
        notAfter: "2026-11-24T14:00:00.000Z",
        scope: "prod/payments",
      },
    ]);
    expect(await p.reconcile({ put: [], remove: held })).toEqual({
      done: ["alice-prod-db/kubernetes/0"],
      failed: [],
    });
    expect(nock.pendingMocks()).toEqual([]);
  });

  it("replaces on 409 AlreadyExists (an extension), with the same body at the object's path", async () => {
    const bodies: unknown[] = [];
    nock(SERVER)
      .post(PATH)
      .reply(409, { kind: "Status", apiVersion: "v1", status: "Failure", reason: "AlreadyExists", code: 409 })
      .put(`${PATH}/jitops-alice-prod-db-0`)
      .reply(function (_uri, body) {
        bodies.push(body);
        return [200, body];
      });
    const later = binding({ notAfter: "2026-11-24T16:00:00.000Z" });
    expect(await provider().reconcile({ put: [later], remove: [] })).toEqual({
      done: ["alice-prod-db/kubernetes/0"],
      failed: [],
    });
    expect(bodies).toEqual([
      {
        ...BODY,
        metadata: {
          ...BODY.metadata,
          annotations: { ...BODY.metadata.annotations, "jitops.dev/not-after": "2026-11-24T16:00:00.000Z" },
        },
      },
    ]);
  });
});
