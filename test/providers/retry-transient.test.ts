import { retryTransient } from "../../providers/retry-transient.js";

const FAST = { attempts: 3, baseMs: 1, maxWaitMs: 20 };

function failing(statuses: number[], extra: object = {}) {
  let calls = 0;
  const fn = async () => {
    const status = statuses[calls++];
    if (status === undefined) return "ok";
    throw Object.assign(new Error(`HTTP ${status}`), { status, ...extra });
  };
  return { fn, calls: () => calls };
}

describe("retryTransient", () => {
  it.each([[429], [500], [502], [503], [504]])("retries %s and returns the later answer", async (status) => {
    const f = failing([status]);
    await expect(retryTransient(f.fn, FAST)).resolves.toBe("ok");
    expect(f.calls()).toBe(2);
  });

  it.each([[400], [401], [403], [404], [409], [422]])(
    "does not retry %s: it is an answer",
    async (status) => {
      const f = failing([status]);
      await expect(retryTransient(f.fn, FAST)).rejects.toThrow(`HTTP ${status}`);
      expect(f.calls()).toBe(1);
    },
  );

  it("gives up after the attempts and throws the last error", async () => {
    const f = failing([503, 503, 503, 503]);
    await expect(retryTransient(f.fn, FAST)).rejects.toThrow("HTTP 503");
    expect(f.calls()).toBe(3);
  });

  it("honours Retry-After, capped by maxWaitMs", async () => {
    const f = failing([429], { response: { headers: { "retry-after": "3600" } } });
    const t = Date.now();
    await expect(retryTransient(f.fn, FAST)).resolves.toBe("ok");
    expect(Date.now() - t).toBeLessThan(3_600_000);
  });
});

describe("retryTransient and RemoteErrors", () => {
  it("retries a RemoteError carrying a 5xx status, not one carrying 401 or 403, nor one with no answer", async () => {
    const { RemoteError } = await import("../../core/remote-error.js");
    const remote = (status?: number) => () => {
      let calls = 0;
      const fn = async () => {
        calls++;
        throw new RemoteError({ service: "gcp", host: "h", what: "w", ...(status ? { status } : {}) });
      };
      return { fn, calls: () => calls };
    };
    for (const [status, expected] of [
      [503, 3],
      [401, 1],
      [403, 1],
      [undefined, 1],
    ] as const) {
      const f = remote(status)();
      await expect(retryTransient(f.fn, FAST)).rejects.toBeInstanceOf(RemoteError);
      expect([status, f.calls()]).toEqual([status, expected]);
    }
  });
});
