import { Agent, createServer as createTlsServer } from "node:https";
import { createServer as createTcpServer, type AddressInfo, type Socket } from "node:net";
import { createLoopbackCertificate } from "@jitops/sim/identity";
import { exchangeAzure } from "../../providers/azure-workload-credentials.js";
import { exchangeGcp } from "../../providers/gcp-workload-credentials.js";
import { networkCause } from "../../core/network-cause.js";

async function blackHole() {
  const sockets: Socket[] = [];
  const server = createTcpServer((s) => void sockets.push(s));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("workload token exchanges give up on a host that does not answer", () => {
  it("GCP: STS black-holed, the error says so and where within the timeout", async () => {
    const hole = await blackHole();
    try {
      const started = Date.now();
      const e = await exchangeGcp({
        provider: "projects/1/locations/global/workloadIdentityPools/p/providers/g",
        serviceAccount: "sa@p.iam.gserviceaccount.com",
        lifetimeSeconds: 600,
        subjectToken: async () => "header.payload.signature",
        endpoints: { sts: `${hole.url}/v1/token`, iamCredentials: hole.url },
        timeoutMs: 300,
      }).catch((x: unknown) => x);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(networkCause(e)).toBe("no answer within 300 ms");
      expect(String((e as { config?: { url?: unknown } }).config?.url)).toBe(`${hole.url}/v1/token`);
    } finally {
      await hole.close();
    }
  });

  it("Azure: an authority that completes TLS and never answers, a timeout within the deadline", async () => {
    // TLS completes, so MSAL's request holds its error handler when the socket later closes.
    const { cert, key } = createLoopbackCertificate();
    const sockets: Socket[] = [];
    const server = createTlsServer({ cert, key }, () => undefined);
    server.on("connection", (s: Socket) => void sockets.push(s));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const agent = new Agent({ ca: cert });
    try {
      const started = Date.now();
      const e = await exchangeAzure({
        tenantId: "t",
        clientId: "c",
        subjectToken: async () => "header.payload.signature",
        authorityHost: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
        agent,
        timeoutMs: 300,
        retries: 0, // nothing left running after the test: the request abandoned fails once, handled
      }).catch((x: unknown) => x);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(networkCause(e)).toBe("no answer within 300 ms");
    } finally {
      agent.destroy();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
