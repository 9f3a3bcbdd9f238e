import { createServer as createTcpServer, type AddressInfo, type Socket } from "node:net";
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

  it("Azure: the authority black-holed, a timeout within the deadline", async () => {
    const hole = await blackHole();
    try {
      const started = Date.now();
      const e = await exchangeAzure({
        tenantId: "t",
        clientId: "c",
        subjectToken: async () => "header.payload.signature",
        authorityHost: hole.url.replace("http:", "https:"), // MSAL takes only https: the TLS handshake hangs
        timeoutMs: 300,
      }).catch((x: unknown) => x);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(networkCause(e)).toBe("no answer within 300 ms");
    } finally {
      await hole.close();
    }
  });
});
