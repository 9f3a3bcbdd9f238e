/**
 * Runs work one at a time per key, in call order: a slower, older run never finishes after a newer
 * one for the same key. One per instance (bot, CLI run); nothing is shared between instances.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `fn` after every earlier call with the same key, whether those succeeded or failed. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const settled = next.catch(() => undefined);
    this.tails.set(key, settled);
    try {
      return await next;
    } finally {
      if (this.tails.get(key) === settled) this.tails.delete(key);
    }
  }

  /** How many keys have work queued or running. */
  get size(): number {
    return this.tails.size;
  }
}
