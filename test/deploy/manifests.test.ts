import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { ClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import { ClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { parseAllDocuments } from "yaml";
import { envNamesIn, envNamesUnder } from "./env-names.js";

// Every deployment manifest parses, matches its Kubernetes schema (kubernetes-models; the Knative
// Service by hand), holds the settings the deploy guide promises, and sets only variables the bot
// reads.

const ROOT = process.cwd();
const K8S = join(ROOT, "deploy/kubernetes");
const CLOUD_RUN = join(ROOT, "deploy/cloud-run/service.yaml");

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Every YAML document of a file, failing on any parse error or warning. */
function documents(path: string): Obj[] {
  return parseAllDocuments(readFileSync(path, "utf8")).map((d) => {
    if (d.errors.length > 0 || d.warnings.length > 0)
      throw new Error(`${path}: ${[...d.errors, ...d.warnings].map((e) => e.message).join("; ")}`);
    return d.toJS() as Obj;
  });
}

const MODELS: Record<string, new (o: Obj) => { validate(): void }> = {
  "apps/v1 Deployment": Deployment as never,
  "policy/v1 PodDisruptionBudget": PodDisruptionBudget as never,
  "rbac.authorization.k8s.io/v1 Role": Role as never,
  "rbac.authorization.k8s.io/v1 RoleBinding": RoleBinding as never,
  "rbac.authorization.k8s.io/v1 ClusterRole": ClusterRole as never,
  "rbac.authorization.k8s.io/v1 ClusterRoleBinding": ClusterRoleBinding as never,
  "v1 Namespace": Namespace as never,
  "v1 Service": Service as never,
  "v1 ServiceAccount": ServiceAccount as never,
};

const files = readdirSync(K8S).filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml");
const objects = files.flatMap((f) => documents(join(K8S, f)).map((o) => ({ file: f, o })));
const find = (kind: string, name?: string) => {
  const found = objects.filter(
    ({ o }) => o.kind === kind && (name === undefined || o.metadata?.name === name),
  );
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name ?? ""}, found ${found.length}`);
  return found[0]!.o;
};
const deployment = find("Deployment");
const pod = deployment.spec.template.spec;
const bot = pod.containers[0];
const knative = documents(CLOUD_RUN)[0]!;
const runContainer = knative.spec?.template?.spec?.containers?.[0];

/** The variables the bot and the providers read, as their sources show. */
const read = envNamesUnder(ROOT, ["bot", "providers"]);

describe("deployment manifests", () => {
  it.each(objects.map(({ file, o }) => [`${file}: ${o.kind} ${o.metadata?.name}`, o]))(
    "%s matches its Kubernetes schema",
    (_, o) => {
      const Model = MODELS[`${o.apiVersion} ${o.kind}`];
      if (!Model) throw new Error(`no model for ${o.apiVersion} ${o.kind}: add one to MODELS`);
      expect(() => new Model(o).validate()).not.toThrow();
    },
  );

  it("the schema check catches a wrong type (it can fail)", () => {
    const broken = structuredClone(deployment);
    broken.spec.replicas = "2";
    expect(() => new Deployment(broken).validate()).toThrow(/replicas must be integer/);
  });

  it("kustomization.yaml lists every manifest the bot needs, and each exists", () => {
    const k = documents(join(K8S, "kustomization.yaml"))[0]!;
    expect(k).toMatchObject({ apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization" });
    for (const r of k.resources as string[]) expect(files).toContain(r);
    // granter-rbac.yaml goes to every cluster jitops grants in, not with the bot.
    expect([...k.resources].sort()).toEqual(files.filter((f) => f !== "granter-rbac.yaml").sort());
  });

  it("runs two replicas with liveness on /healthz, readiness on /readyz, and a disruption budget", () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(bot.livenessProbe.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(bot.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "http" });
    expect(bot.ports).toEqual([{ name: "http", containerPort: 3000 }]);
    const pdb = find("PodDisruptionBudget");
    expect(pdb.spec).toEqual({ minAvailable: 1, selector: deployment.spec.selector });
    const service = find("Service");
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(service.spec.ports[0].targetPort).toBe("http");
  });

  it("invariant: the bot's pod runs as non-root, read-only, without capabilities, under seccomp RuntimeDefault", () => {
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(bot.securityContext).toEqual({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    // The only writable place is /tmp, an emptyDir.
    const tmp = bot.volumeMounts.find((m: Obj) => m.mountPath === "/tmp");
    expect(pod.volumes.find((v: Obj) => v.name === tmp.name)).toHaveProperty("emptyDir");
    expect(bot.volumeMounts.filter((m: Obj) => m.mountPath !== "/tmp").every((m: Obj) => m.readOnly)).toBe(
      true,
    );
  });

  it("invariant: no manifest holds a secret value: the App key and webhook secret are mounted files", () => {
    const env = Object.fromEntries(bot.env.map((e: Obj) => [e.name, e]));
    expect(env.PRIVATE_KEY).toBeUndefined();
    expect(env.WEBHOOK_SECRET).toBeUndefined();
    const mountOf = (path: string) =>
      bot.volumeMounts.find((m: Obj) => path.startsWith(`${m.mountPath}/`)) as Obj | undefined;
    for (const [name, key] of [
      ["PRIVATE_KEY_PATH", "private-key.pem"],
      ["WEBHOOK_SECRET_FILE", "webhook-secret"],
    ] as const) {
      const path = env[name].value as string;
      const mount = mountOf(path)!;
      const volume = pod.volumes.find((v: Obj) => v.name === mount.name);
      expect(volume.secret.items).toContainEqual({ key, path: path.slice(mount.mountPath.length + 1) });
      // 0440: read by the pod's group, written by nobody (288 is the decimal the API stores).
      expect(volume.secret.defaultMode).toBe(0o440);
    }
    const all = [...objects.map(({ o }) => o), knative];
    expect(all.filter((o) => o.kind === "Secret")).toEqual([]);
    for (const e of runContainer.env) expect(e.name).not.toMatch(/^(PRIVATE_KEY|WEBHOOK_SECRET)$/);
  });

  it("gives the service account exactly get, create and update on leases in its namespace", () => {
    const role = find("Role", "jitops-lease");
    expect(role.metadata.namespace).toBe(deployment.metadata.namespace);
    expect(role.rules).toEqual([
      { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["get", "create", "update"] },
    ]);
    const binding = find("RoleBinding", "jitops-lease");
    expect(binding.roleRef).toEqual({
      apiGroup: "rbac.authorization.k8s.io",
      kind: "Role",
      name: "jitops-lease",
    });
    expect(binding.subjects).toEqual([
      { kind: "ServiceAccount", name: pod.serviceAccountName, namespace: deployment.metadata.namespace },
    ]);
    find("ServiceAccount", pod.serviceAccountName);
  });

  it("the Cloud Run service keeps CPU allocated and one instance up, with secrets from Secret Manager", () => {
    expect(knative).toMatchObject({ apiVersion: "serving.knative.dev/v1", kind: "Service" });
    expect(knative.metadata.name).toMatch(/^[a-z]([-a-z0-9]*[a-z0-9])?$/);
    expect(knative.spec.template.metadata.annotations).toMatchObject({
      "run.googleapis.com/cpu-throttling": "false",
      "autoscaling.knative.dev/minScale": "1",
    });
    const spec = knative.spec.template.spec;
    expect(spec.serviceAccountName).toMatch(/@.+\.iam\.gserviceaccount\.com$/);
    expect(spec.containers).toHaveLength(1);
    expect(typeof runContainer.image).toBe("string");
    expect(runContainer.ports).toEqual([{ name: "http1", containerPort: 3000 }]);
    expect(runContainer.livenessProbe.httpGet.path).toBe("/healthz");
    expect(runContainer.startupProbe.httpGet.path).toBe("/readyz");
    const env = Object.fromEntries(runContainer.env.map((e: Obj) => [e.name, e.value]));
    for (const name of ["PRIVATE_KEY_PATH", "WEBHOOK_SECRET_FILE"]) {
      const mount = runContainer.volumeMounts.find((m: Obj) => env[name].startsWith(`${m.mountPath}/`));
      const volume = spec.volumes.find((v: Obj) => v.name === mount.name);
      expect(volume.secret.secretName).toBeTruthy();
      expect(volume.secret.items).toEqual([
        { key: "latest", path: env[name].slice(mount.mountPath.length + 1) },
      ]);
    }
    // Every value is a string, as the Knative API requires of annotations and env values.
    for (const v of Object.values(knative.spec.template.metadata.annotations))
      expect(typeof v).toBe("string");
    for (const e of runContainer.env) expect(typeof e.value).toBe("string");
  });

  it("app.yml is a GitHub App manifest: known keys, each event backed by its permission, least permissions", () => {
    const app = documents(join(ROOT, "app.yml"))[0]!;
    const keys = [
      "name",
      "url",
      "hook_attributes",
      "redirect_url",
      "callback_urls",
      "setup_url",
      "description",
      "public",
      "default_events",
      "default_permissions",
      "request_oauth_on_install",
      "setup_on_update",
    ];
    expect(Object.keys(app).filter((k) => !keys.includes(k))).toEqual([]);
    expect(app.name.length).toBeLessThanOrEqual(34); // GitHub's limit for App names
    expect(app.url).toMatch(/^https:\/\//);
    expect(app.hook_attributes.url).toMatch(/^https:\/\/[^/]+\/api\/github\/webhooks$/);
    // GitHub offers an event only to Apps holding the permission it concerns.
    const needs: Record<string, string> = {
      pull_request: "pull_requests",
      pull_request_review: "pull_requests",
      check_run: "checks",
      check_suite: "checks",
      push: "contents",
    };
    for (const e of app.default_events as string[])
      expect([e, app.default_permissions[needs[e]!]]).toEqual([e, expect.any(String)]);
    expect(app.default_permissions).toEqual({
      checks: "write",
      pull_requests: "write",
      contents: "write",
      issues: "write",
      statuses: "write",
      members: "read",
      metadata: "read",
    });
  });

  it("the scanner finds the variables the bot and the providers are known to read", () => {
    for (const n of [
      "APP_ID",
      "PRIVATE_KEY",
      "PRIVATE_KEY_PATH",
      "WEBHOOK_SECRET",
      "WEBHOOK_SECRET_FILE",
      "GITHUB_API_URL",
      "PORT",
      "HOST",
      "JITOPS_PROVIDERS",
      "LOG_FORMAT",
      "SHUTDOWN_GRACE_MS",
    ])
      expect(read).toContain(n);
    expect([...read].every((n) => /^[A-Z][A-Z0-9_]*$/.test(n))).toBe(true);
  });

  it.each([
    ["env.X", "const a = env.APP_ID;", ["APP_ID"]],
    ["process.env.X", "process.env.KUBECONFIG?.split(':')", ["KUBECONFIG"]],
    ['env["X"]', 'const p = env["PORT"] ?? "3000";', ["PORT"]],
    [
      "keys given to a helper that reads env[key]",
      'const n = (k) => env[k]; n("SWEEP_INTERVAL_MS");',
      ["SWEEP_INTERVAL_MS"],
    ],
    ["no upper-case literal counts without env[key]", 'log("WARNING"); const x = env.HOST;', ["HOST"]],
  ])("the scanner reads %s", (_, source, names) => {
    expect([...envNamesIn(source)].sort()).toEqual(names);
  });

  it.each([
    ["deploy/kubernetes/deployment.yaml", () => bot.env],
    ["deploy/cloud-run/service.yaml", () => runContainer.env],
  ])("%s sets only variables the bot reads", (_, env) => {
    const names = (env() as Obj[]).map((e) => e.name as string);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => !read.has(n))).toEqual([]);
  });
});
