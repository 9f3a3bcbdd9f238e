import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createTcpServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { createClient } from "../../github/client.js";
import { RemoteError } from "../../core/remote-error.js";
import { startSeededSim } from "../sim/github/helpers/seed.js";

type Reply = { status: number; body?: unknown; headers?: Record<string, string> };

/** A loopback GitHub that answers each request with the next reply (the last one repeats), counting calls. */
async function fakeGitHub(replies: Reply[]) {
  let calls = 0;
  const server = createServer((_req: IncomingMessage, res: ServerResponse) => {
    const r = replies[Math.min(calls++, replies.length - 1)]!;
    res.writeHead(r.status, { "content-type": "application/json", ...r.headers });
    res.end(JSON.stringify(r.body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    calls: () => calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A black hole: accepts connections, reads requests and never answers. */
async function blackHole() {
  const sockets: Socket[] = [];
  let requests = 0;
  const server: Server = createTcpServer((s) => {
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

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<string> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `127.0.0.1:${port}`;
}

const client = (host: string, extra: { timeoutMs?: number; retries?: number } = {}) =>
  createClient({ token: "t0ken", baseUrl: `http://${host}`, retryUnitMs: 1, ...extra });

async function failure(p: Promise<unknown>): Promise<RemoteError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(RemoteError);
  return e as RemoteError;
}

const GET_REPO = "GET /repos/{owner}/{repo}";
const REPO = { owner: "acme", repo: "api" };

describe("GitHub client failures", () => {
  it.each([
    [
      401,
      { message: "Bad credentials", documentation_url: "https://docs.github.com/rest" },
      "answered 401 Bad credentials to GET /repos/acme/api: the token was refused: check GITHUB_TOKEN / GH_TOKEN (expired, revoked or for another host?)",
    ],
    [
      403,
      { message: "Resource not accessible by integration" },
      "answered 403 Resource not accessible by integration to GET /repos/acme/api: the token lacks a permission this call needs: check GITHUB_TOKEN / GH_TOKEN (jitops needs checks: write, pull-requests: write and contents: write)",
    ],
    [
      404,
      { message: "Not Found" },
      "answered 404 Not Found to GET /repos/acme/api: check the repository name and that the token can read it",
    ],
    [422, { message: "Validation Failed" }, "answered 422 Validation Failed to GET /repos/acme/api"],
  ])(
    "invariant: a %s is never retried (a refused token is not hammered); it says what failed, where, and what to check",
    async (status, body, said) => {
      const gh = await fakeGitHub([{ status, body }, { status: 200 }]);
      try {
        const e = await failure(client(gh.host).request(GET_REPO, REPO));
        expect(gh.calls()).toBe(1);
        expect(e.message).toBe(`GitHub (${gh.host}) ${said}`);
        expect(e).toMatchObject({ service: "github", host: gh.host, status });
      } finally {
        await gh.close();
      }
    },
  );

  it("retries a 502 and returns the later answer", async () => {
    const gh = await fakeGitHub([
      { status: 502, body: { message: "Server Error" } },
      { status: 200, body: { id: 1 } },
    ]);
    try {
      const { data } = await client(gh.host).request(GET_REPO, REPO);
      expect(data).toEqual({ id: 1 });
      expect(gh.calls()).toBe(2);
    } finally {
      await gh.close();
    }
  });

  it("gives up on 5xx after the retries, saying how many", async () => {
    const gh = await fakeGitHub([{ status: 503, body: { message: "Unavailable" } }]);
    try {
      const e = await failure(client(gh.host, { retries: 2 }).request(GET_REPO, REPO));
      expect(gh.calls()).toBe(3);
      expect(e.message).toBe(
        `GitHub (${gh.host}) answered 503 Unavailable to GET /repos/acme/api: GitHub failed after 2 retries; try again later`,
      );
    } finally {
      await gh.close();
    }
  });

  it("leaves a secondary rate limit 403 to the throttling plugin: one wait, then the answer", async () => {
    const limited = {
      status: 403,
      body: {
        message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
      },
      headers: { "retry-after": "1" },
    };
    const gh = await fakeGitHub([limited, { status: 200, body: { id: 2 } }]);
    try {
      await expect(client(gh.host).request(GET_REPO, REPO)).resolves.toMatchObject({ data: { id: 2 } });
      expect(gh.calls()).toBe(2);
    } finally {
      await gh.close();
    }
  });

  it("does not wait out a long secondary rate limit: it fails at once, saying so", async () => {
    const gh = await fakeGitHub([
      {
        status: 403,
        body: { message: "You have exceeded a secondary rate limit." },
        headers: { "retry-after": "3600" },
      },
    ]);
    try {
      const e = await failure(client(gh.host).request(GET_REPO, REPO));
      expect(gh.calls()).toBe(1);
      expect(e.message).toBe(
        `GitHub (${gh.host}) answered 403 You have exceeded a secondary rate limit. to GET /repos/acme/api: rate limited; try again later`,
      );
    } finally {
      await gh.close();
    }
  });

  it("does not wait for a primary rate limit that resets in an hour: it fails at once, saying until when", async () => {
    const reset = Math.floor(Date.now() / 1000) + 3600;
    const gh = await fakeGitHub([
      {
        status: 403,
        body: { message: "API rate limit exceeded for installation ID 1." },
        headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) },
      },
    ]);
    try {
      const e = await failure(client(gh.host).request(GET_REPO, REPO));
      expect(gh.calls()).toBe(1);
      expect(e.message).toBe(
        `GitHub (${gh.host}) answered 403 API rate limit exceeded for installation ID 1. to GET /repos/acme/api: rate limited until ${new Date(reset * 1000).toISOString()}; try again later`,
      );
    } finally {
      await gh.close();
    }
  });

  it("a host that never answers fails within the timeout, naming the host and the setting, without retries", async () => {
    const hole = await blackHole();
    try {
      const started = Date.now();
      const e = await failure(client(hole.host, { timeoutMs: 300 }).request(GET_REPO, REPO));
      expect(Date.now() - started).toBeLessThan(2000);
      expect(e.message).toBe(
        `GitHub at ${hole.host} could not be reached for GET /repos/acme/api: no answer within 300 ms: check --api-url / GITHUB_API_URL and the network`,
      );
      expect(e).toMatchObject({ service: "github", host: hole.host, status: undefined });
      expect(hole.requests()).toBe(1);
    } finally {
      await hole.close();
    }
  });

  it("a closed port fails at once: connection refused, naming the host and the setting", async () => {
    const host = await closedPort();
    const started = Date.now();
    const e = await failure(client(host).request(GET_REPO, REPO));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(e.message).toBe(
      `GitHub at ${host} could not be reached for GET /repos/acme/api: connection refused: check --api-url / GITHUB_API_URL and the network`,
    );
  });

  it("the default timeout is at most 10 s", async () => {
    const { DEFAULT_TIMEOUT_MS } = await import("../../github/client.js");
    expect(DEFAULT_TIMEOUT_MS).toBeLessThanOrEqual(10_000);
  });
});

describe("createClient: conditional reads", () => {
  it("answers an unchanged read with the kept response (304, not counted by GitHub), one cache per client", async () => {
    const { sim } = await startSeededSim();
    try {
      const { url } = await sim.start();
      const gh = createClient({ token: "ghs_cli", baseUrl: url, retryUnitMs: 1 });
      const read = () => gh.request("GET /repos/{owner}/{repo}", { owner: "acme", repo: "access" });
      const first = await read();
      sim.resetApiCalls();
      expect((await read()).data).toEqual(first.data);
      expect(sim.apiCallLog().map((c) => c.status)).toEqual([304]);
      expect(sim.countedApiCalls()).toBe(0);
      // Another client (another CLI run) keeps its own responses: its first read is a full one.
      await createClient({ token: "ghs_cli", baseUrl: url, retryUnitMs: 1 }).request(
        "GET /repos/{owner}/{repo}",
        {
          owner: "acme",
          repo: "access",
        },
      );
      expect(sim.apiCallLog().map((c) => c.status)).toEqual([304, 200]);
    } finally {
      await sim.stop();
    }
  });
});

describe("createClient: pacing of writes", () => {
  const writes = async (gh: ReturnType<typeof createClient>, route: string, n: number) => {
    const started = Date.now();
    for (let i = 0; i < n; i++) await gh.request(route, { ...REPO, name: `n${i}`, title: `t${i}` });
    return Date.now() - started;
  };

  it("paces writes to one a second by default, as GitHub asks of integrations", async () => {
    const gh = await fakeGitHub([{ status: 201, body: { id: 1 } }]);
    try {
      expect(
        await writes(client(gh.host), "POST /repos/{owner}/{repo}/check-runs", 2),
      ).toBeGreaterThanOrEqual(900);
      expect(gh.calls()).toBe(2);
    } finally {
      await gh.close();
    }
  });

  it("writes at once with pacing off (a simulator), and still waits out a rate limit once", async () => {
    const limited = {
      status: 403,
      body: { message: "You have exceeded a secondary rate limit." },
      headers: { "retry-after": "1" },
    };
    const gh = await fakeGitHub([limited, { status: 201, body: { number: 1 } }]);
    try {
      const unpaced = createClient({
        token: "t0ken",
        baseUrl: `http://${gh.host}`,
        retryUnitMs: 1,
        pacing: false,
      });
      // Paced, five new issues (writes that notify people) take twelve seconds at least.
      expect(await writes(unpaced, "POST /repos/{owner}/{repo}/issues", 5)).toBeLessThan(3000);
      expect(gh.calls()).toBe(6);
    } finally {
      await gh.close();
    }
  });
});
