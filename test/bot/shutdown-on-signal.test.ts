import { shutdownOnSignals, type SignalTarget } from "../../bot/shutdown-on-signal.js";

/** A fake process: signals are sent by the test, exits are recorded. */
function fakeProcess() {
  const listeners = new Map<string, (() => void)[]>();
  const exits: number[] = [];
  const target: SignalTarget = {
    once: (signal, listener) => listeners.set(signal, [...(listeners.get(signal) ?? []), listener]),
    exit: (code) => void exits.push(code),
  };
  const send = (signal: string) => {
    const ls = listeners.get(signal) ?? [];
    listeners.set(signal, []);
    for (const l of ls) l();
  };
  return { target, send, exits };
}

const log = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe("shutdownOnSignals", () => {
  test.each(["SIGTERM", "SIGINT"])("%s drains within the grace period, then exits 0", async (signal) => {
    const p = fakeProcess();
    const graces: number[] = [];
    let finish: (r: { drained: boolean }) => void = () => undefined;
    const server = {
      probot: { log } as never,
      shutdown: (graceMs: number) => {
        graces.push(graceMs);
        return new Promise<{ drained: boolean }>((r) => (finish = r));
      },
    };
    shutdownOnSignals(server, 20_000, p.target);
    p.send(signal);
    expect(graces).toEqual([20_000]);
    expect(p.exits).toEqual([]);
    finish({ drained: true });
    await new Promise((r) => setImmediate(r));
    expect(p.exits).toEqual([0]);
  });

  test("exits 1 when the grace ran out, and at once on a second signal", async () => {
    const p = fakeProcess();
    let finish: (r: { drained: boolean }) => void = () => undefined;
    const server = {
      probot: { log } as never,
      shutdown: () => new Promise<{ drained: boolean }>((r) => (finish = r)),
    };
    shutdownOnSignals(server, 10, p.target);
    p.send("SIGTERM");
    p.send("SIGINT");
    expect(p.exits).toEqual([1]);
    finish({ drained: false });
    await new Promise((r) => setImmediate(r));
    expect(p.exits).toEqual([1, 1]);
  });
});
