import { OAuth2Client } from "google-auth-library";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTcpServer, type AddressInfo, type Socket } from "node:net";
import { join } from "node:path";
import { stringify } from "yaml";
import { RemoteError } from "../../core/remote-error.js";
import { graphCredentialsClient } from "../../providers/azure-graph-client.js";
import { providersFromEnv } from "../../providers/from-env.js";
import { resourceManagerClient } from "../../providers/gcp-iam-client.js";
import { guardCalls } from "../../providers/guard-calls.js";
import { THIS_HOST } from "../../providers/host-probe.js";
import { tempRepo } from "../fixtures/temp-repo.js";

const FAST = 300;

/** Accepts connections, reads the request, never answers. */
async function blackHole() {
  const sockets: Socket[] = [];
  let requests = 0;
  const server = createTcpServer((s) => {
    sockets.push(s);
    s.once("data", () => requests++);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function closedPort(): Promise<string> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `127.0.0.1:${port}`;
}

/** A loopback API answering every request with `status` and `body`, counting requests. */
async function answering(status: number, body: unknown) {
  let calls = 0;
  const server = createServer((_q: IncomingMessage, res: ServerResponse) => {
    calls++;
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls: () => calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A kubeconfig whose context `prod` points at `server` as user `jitops-bot`. */
function kubeconfig(server: string) {
  const dir = tempRepo({
    config: stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "prod-cluster", cluster: { server, "insecure-skip-tls-verify": true } }], // http on loopback
      users: [{ name: "jitops-bot", user: { token: "k8s-token" } }],
      contexts: [{ name: "prod", context: { cluster: "prod-cluster", user: "jitops-bot" } }],
      "current-context": "prod",
    }),
  });
  return { file: join(dir.root, "config"), remove: dir.remove };
}

async function failure(p: Promise<unknown>): Promise<RemoteError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(RemoteError);
  return e as RemoteError;
}

function kubernetes(server: string) {
  const kc = kubeconfig(server);
  const [provider] = providersFromEnv(
    { JITOPS_PROVIDERS: "kubernetes", KUBECONFIG: kc.file },
    THIS_HOST,
    FAST,
  );
  return { provider: provider!, remove: kc.remove };
}

describe("a cloud that does not answer is named, with the setting that chose it, within the deadline", () => {
  it("kubernetes: a black-holed API server", async () => {
    const hole = await blackHole();
    const k = kubernetes(`http://${hole.host}`);
    try {
      const started = Date.now();
      const e = await failure(k.provider.list(["prod/payments"]));
      expect(Date.now() - started).toBeLessThan(3000);
      expect(e.message).toBe(
        `Kubernetes at ${hole.host} could not be reached listing role bindings in payments: no answer within 300 ms: check the server of kubeconfig context "prod" (KUBECONFIG) and the network`,
      );
      expect(e).toMatchObject({ service: "kubernetes", host: hole.host, status: undefined });
      expect(hole.requests()).toBe(1); // a timeout is not retried
    } finally {
      k.remove();
      await hole.close();
    }
  });

  it("kubernetes: a closed port", async () => {
    const host = await closedPort();
    const k = kubernetes(`http://${host}`);
    try {
      const e = await failure(k.provider.list(["prod"]));
      expect(e.message).toBe(
        `Kubernetes at ${host} could not be reached listing role bindings (cluster-wide): connection refused: check the server of kubeconfig context "prod" (KUBECONFIG) and the network`,
      );
    } finally {
      k.remove();
    }
  });

  it("gcp: a black-holed Resource Manager", async () => {
    const hole = await blackHole();
    const [hostname, port] = hole.host.split(":");
    const authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: "t" });
    const client = guardCalls(
      resourceManagerClient({ apiEndpoint: hostname!, port: Number(port), protocol: "http", authClient }),
      () => ({
        provider: "gcp",
        endpoint: `http://${hole.host}`,
        setting: "apiEndpoint",
        doing: "reading the IAM policy",
      }),
      FAST,
    );
    try {
      const e = await failure(client.get("projects/acme-prod"));
      expect(e.message).toBe(
        `GCP at ${hole.host} could not be reached reading the IAM policy: no answer within 300 ms: check apiEndpoint and the network`,
      );
    } finally {
      await hole.close();
    }
  });

  it("azure: a black-holed Graph (JITOPS_GRAPH_URL)", async () => {
    const hole = await blackHole();
    const credential = { getToken: async () => ({ token: "t", expiresOnTimestamp: Date.now() + 60_000 }) };
    const graph = guardCalls(
      graphCredentialsClient(credential, `http://${hole.host}`),
      () => ({
        provider: "azure",
        endpoint: `http://${hole.host}`,
        setting: "JITOPS_GRAPH_URL",
        doing: "listing federated credentials",
      }),
      FAST,
    );
    try {
      const e = await failure(graph.list("client-1"));
      expect(e.message).toBe(
        `Azure at ${hole.host} could not be reached listing federated credentials: no answer within 300 ms: check JITOPS_GRAPH_URL and the network`,
      );
    } finally {
      await hole.close();
    }
  });
});

describe("invariant: a cloud that refuses the credentials (401/403) is never retried, and the principal is named", () => {
  it.each([
    [401, "the credentials were not accepted: sign in again or check they are for this tenant or project"],
    [403, 'grant kubeconfig user "jitops-bot" the role this call needs'],
  ])("kubernetes %s", async (status, hint) => {
    const api = await answering(status, { kind: "Status", reason: "Forbidden", message: "no", code: status });
    const k = kubernetes(`http://${api.host}`);
    try {
      const e = await failure(k.provider.list(["prod/payments"]));
      expect(api.calls()).toBe(1);
      expect(e).toMatchObject({ service: "kubernetes", status, principal: 'kubeconfig user "jitops-bot"' });
      expect(e.message).toMatch(
        new RegExp(
          `^Kubernetes \\(${api.host}\\) refused kubeconfig user "jitops-bot" listing role bindings in payments \\(${status}\\): `,
        ),
      );
      expect(e.hint).toBe(hint);
    } finally {
      k.remove();
      await api.close();
    }
  });

  it("kubernetes 503 is retried, then reported with the status", async () => {
    const api = await answering(503, { kind: "Status", message: "unavailable", code: 503 });
    const k = kubernetes(`http://${api.host}`);
    try {
      const e = await failure(k.provider.list(["prod/payments"]));
      expect(api.calls()).toBe(3);
      expect(e).toMatchObject({ service: "kubernetes", status: 503 });
      expect(e.hint).toBe("the cloud is failing or rate limiting; try again later");
    } finally {
      k.remove();
      await api.close();
    }
  });
});
