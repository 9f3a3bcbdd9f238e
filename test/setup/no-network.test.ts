import { createServer } from "node:http";
import { connect } from "node:net";

// The guard in test/setup/no-network.cjs: anything past loopback fails at once, loopback works.
describe("tests reach only loopback", () => {
  it("refuses a connection to a public address and to a host name, naming them", async () => {
    for (const host of ["203.0.113.7", "api.github.com"]) {
      const error = await new Promise<Error>((resolve) => {
        const s = connect({ host, port: 443 });
        s.on("error", resolve);
      });
      expect(error.message).toBe(
        `network disabled in tests: connect to ${host}:443 refused (only loopback is allowed)`,
      );
    }
    await expect(fetch("https://example.com/")).rejects.toThrow(/fetch failed/);
  });

  it("lets loopback through", async () => {
    const server = createServer((_q, r) => r.end("ok"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe("ok");
    expect(await (await fetch(`http://localhost:${port}/`)).text()).toBe("ok");
    server.close();
  });
});
