import type { RbacAuthorizationV1Api, V1RoleBinding } from "@kubernetes/client-node";
import { createCloudSim, type CloudSim, type CloudSimUrls } from "@jitops/sim/cloud";
import { rbacClient } from "./helpers/sdk-clients.js";

const binding = (name: string, role = "view", user = "alice"): V1RoleBinding => ({
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind: "RoleBinding",
  metadata: {
    name,
    namespace: "payments",
    labels: { "app.kubernetes.io/managed-by": "jitops", "jitops/request": name },
  },
  roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
  subjects: [{ kind: "User", name: user, apiGroup: "rbac.authorization.k8s.io" }],
});

/** The `Status` body of a client-node ApiException. */
async function status(p: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await p;
  } catch (err) {
    const body = (err as { body?: unknown }).body;
    return JSON.parse(typeof body === "string" ? body : JSON.stringify(body)) as Record<string, unknown>;
  }
  throw new Error("expected the call to fail");
}

describe("Kubernetes RBAC simulator", () => {
  let sim: CloudSim;
  let urls: CloudSimUrls;
  let rbac: RbacAuthorizationV1Api;

  beforeAll(async () => {
    sim = createCloudSim();
    urls = await sim.start();
    sim.k8sAddNamespace("payments");
    rbac = rbacClient(urls);
  });
  afterAll(() => sim.stop());

  test("create, get, list by label, replace and delete a RoleBinding with the real client", async () => {
    const created = await rbac.createNamespacedRoleBinding({
      namespace: "payments",
      body: binding("jitops-req-1"),
    });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.resourceVersion).toBeDefined();
    expect(sim.k8sCan({ user: "alice", namespace: "payments", role: "view" })).toBe(true);
    expect(sim.k8sCan({ user: "alice", namespace: "payments", role: "view", verb: "list" })).toBe(true);
    expect(sim.k8sCan({ user: "alice", namespace: "payments", role: "view", verb: "delete" })).toBe(false);
    expect(sim.k8sCan({ user: "alice", namespace: "default", role: "view" })).toBe(false);

    await rbac.createNamespacedRoleBinding({ namespace: "payments", body: binding("other", "edit", "bob") });
    const mine = await rbac.listNamespacedRoleBinding({
      namespace: "payments",
      labelSelector: "app.kubernetes.io/managed-by=jitops,jitops/request in (jitops-req-1)",
    });
    expect(mine.items.map((b) => b.metadata?.name)).toEqual(["jitops-req-1"]);
    const notMine = await rbac.listNamespacedRoleBinding({
      namespace: "payments",
      labelSelector: "jitops/request!=jitops-req-1",
    });
    expect(notMine.items.map((b) => b.metadata?.name)).toEqual(["other"]);

    const got = await rbac.readNamespacedRoleBinding({ name: "jitops-req-1", namespace: "payments" });
    const replaced = await rbac.replaceNamespacedRoleBinding({
      name: "jitops-req-1",
      namespace: "payments",
      body: {
        ...got,
        subjects: [
          ...(got.subjects ?? []),
          { kind: "User", name: "carol", apiGroup: "rbac.authorization.k8s.io" },
        ],
      },
    });
    expect(replaced.metadata?.uid).toBe(got.metadata?.uid);
    expect(sim.k8sCan({ user: "carol", namespace: "payments", role: "view" })).toBe(true);

    await rbac.deleteNamespacedRoleBinding({ name: "jitops-req-1", namespace: "payments" });
    expect(sim.k8sCan({ user: "alice", namespace: "payments", role: "view" })).toBe(false);
    await rbac.deleteNamespacedRoleBinding({ name: "other", namespace: "payments" });
  });

  test("AlreadyExists (409), NotFound (404) and immutable roleRef (422) answer Status objects", async () => {
    await rbac.createNamespacedRoleBinding({ namespace: "payments", body: binding("dup") });
    // Shape: https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/status/
    expect(
      await status(rbac.createNamespacedRoleBinding({ namespace: "payments", body: binding("dup") })),
    ).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'rolebindings.rbac.authorization.k8s.io "dup" already exists',
      reason: "AlreadyExists",
      details: { name: "dup", group: "rbac.authorization.k8s.io", kind: "rolebindings" },
      code: 409,
    });
    expect(
      await status(rbac.deleteNamespacedRoleBinding({ name: "missing", namespace: "payments" })),
    ).toMatchObject({
      kind: "Status",
      reason: "NotFound",
      code: 404,
      message: 'rolebindings.rbac.authorization.k8s.io "missing" not found',
    });
    const changed = await status(
      rbac.replaceNamespacedRoleBinding({ name: "dup", namespace: "payments", body: binding("dup", "edit") }),
    );
    expect(changed).toMatchObject({
      reason: "Invalid",
      code: 422,
      details: { causes: [{ field: "roleRef", reason: "FieldValueInvalid" }] },
    });
    expect(changed.message).toContain("cannot change roleRef");
    expect(
      await status(
        rbac.createNamespacedRoleBinding({
          namespace: "nowhere",
          body: { ...binding("x"), metadata: { name: "x" } },
        }),
      ),
    ).toMatchObject({
      reason: "NotFound",
      code: 404,
      message: 'namespaces "nowhere" not found',
    });
    const invalid = {
      ...binding("bad"),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Thing", name: "view" },
    };
    expect(
      await status(rbac.createNamespacedRoleBinding({ namespace: "payments", body: invalid })),
    ).toMatchObject({ reason: "Invalid", code: 422 });
    await rbac.deleteNamespacedRoleBinding({ name: "dup", namespace: "payments" });
  });

  test("ClusterRoleBindings grant in every namespace; a stale resourceVersion conflicts", async () => {
    const crb = await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: "jitops-req-2", labels: { "app.kubernetes.io/managed-by": "jitops" } },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
        subjects: [{ kind: "ServiceAccount", name: "deployer", namespace: "ci" }],
      },
    });
    expect(
      sim.k8sCan({
        user: "system:serviceaccount:ci:deployer",
        namespace: "payments",
        role: "cluster-admin",
        verb: "delete",
      }),
    ).toBe(true);
    const list = await rbac.listClusterRoleBinding({ labelSelector: "app.kubernetes.io/managed-by=jitops" });
    expect(list.items).toHaveLength(1);
    const stale = { ...crb, metadata: { ...crb.metadata, resourceVersion: "1" } };
    expect(await status(rbac.replaceClusterRoleBinding({ name: "jitops-req-2", body: stale }))).toMatchObject(
      { reason: "Conflict", code: 409 },
    );
    await rbac.deleteClusterRoleBinding({ name: "jitops-req-2" });
    expect(sim.k8sBindings()).toEqual([]);
  });

  test("calls without a bearer token answer 401", async () => {
    const res = await fetch(`${urls.kubernetesUrl}/apis/rbac.authorization.k8s.io/v1/clusterrolebindings`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ kind: "Status", reason: "Unauthorized", code: 401 });
  });
});
