import { WorkQueue, type WorkItem } from "../../bot/work-queue.js";

/** An item whose work waits until `finish()`; `log` records starts and ends. */
function item(key: string, id: string, log: string[], bytes = 1) {
  let finish: () => void = () => undefined;
  const done = new Promise<void>((r) => (finish = r));
  const it: WorkItem = {
    key,
    id,
    bytes,
    run: async () => {
      log.push(`start ${id}`);
      await done;
      log.push(`end ${id}`);
    },
  };
  return { it, finish };
}

const turn = () => new Promise((r) => setImmediate(r));
const limits = { concurrency: 2, maxItems: 10, maxBytes: 100, maxPerKey: 3 };

describe("WorkQueue", () => {
  test("no work starts on the turn that offered it: the offer is answered first", async () => {
    const log: string[] = [];
    const q = new WorkQueue(limits);
    const a = item("pr1", "a", log);
    expect(q.offer(a.it)).toEqual({ ok: true });
    expect(log).toEqual([]);
    await turn();
    expect(log).toEqual(["start a"]);
    a.finish();
    await q.idle();
  });

  test("one key runs in order, one at a time; other keys run alongside up to the concurrency", async () => {
    const log: string[] = [];
    const q = new WorkQueue(limits);
    const a1 = item("pr1", "a1", log);
    const a2 = item("pr1", "a2", log);
    const b = item("pr2", "b", log);
    const c = item("pr3", "c", log);
    for (const x of [a1, a2, b, c]) q.offer(x.it);
    await turn();
    expect(log).toEqual(["start a1", "start b"]); // pr3 waits for a slot, a2 for a1
    b.finish();
    await turn();
    await turn();
    expect(log).toEqual(["start a1", "start b", "end b", "start c"]);
    a1.finish();
    await turn();
    await turn();
    expect(log.slice(4)).toEqual(["end a1", "start a2"]);
    a2.finish();
    c.finish();
    await q.idle();
    expect(q.depth()).toEqual({ items: 0, bytes: 0, running: 0 });
  });

  test("refuses beyond its item, byte and per-key bounds, a duplicate id, and anything once closed", async () => {
    const log: string[] = [];
    const q = new WorkQueue({ concurrency: 1, maxItems: 4, maxBytes: 10, maxPerKey: 2 });
    const held = [item("pr1", "a", log), item("pr1", "b", log)];
    for (const h of held) expect(q.offer(h.it)).toEqual({ ok: true });
    expect(q.offer(item("pr1", "c", log).it)).toEqual({ ok: false, reason: "key-full" });
    expect(q.offer(item("pr2", "a", log).it)).toEqual({ ok: false, reason: "duplicate" });
    expect(q.offer(item("pr2", "big", log, 9).it)).toEqual({ ok: false, reason: "full" });
    const d = item("pr3", "d", log);
    const e = item("pr4", "e", log);
    expect(q.offer(d.it)).toEqual({ ok: true });
    expect(q.offer(e.it)).toEqual({ ok: true });
    expect(q.offer(item("pr5", "f", log).it)).toEqual({ ok: false, reason: "full" });
    q.close();
    expect(q.offer(item("pr6", "g", log).it)).toEqual({ ok: false, reason: "closed" });
    for (const x of [...held, d, e]) x.finish();
    await q.idle();
    // Fair turns: after a, pr1 goes to the back of the line behind the pull requests that waited.
    expect(log.filter((l) => l.startsWith("end"))).toEqual(["end a", "end d", "end e", "end b"]);
  });

  test("a failing item does not stop the queue", async () => {
    const q = new WorkQueue(limits);
    const ran: string[] = [];
    q.offer({ key: "k", id: "1", bytes: 1, run: () => Promise.reject(new Error("boom")) });
    q.offer({ key: "k", id: "2", bytes: 1, run: async () => void ran.push("2") });
    await q.idle();
    expect(ran).toEqual(["2"]);
  });
});
