/**
 * At most one run per key at a time: a call while that key's run is going joins it instead of
 * starting another. The bot's passes go through one of these per caller (timers, direct calls), so
 * two overlapping passes of one kind never race each other's writes. `work` reports its own
 * failures: the promises kept here are awaited at shutdown and must not reject.
 */
export class SingleFlight<K> {
  private readonly running = new Map<K, Promise<void>>();

  /** Starts `work` for `key`, or returns the run of `key` already going. */
  run(key: K, work: () => Promise<void>): Promise<void> {
    const current = this.running.get(key);
    if (current) return current;
    const started = work().finally(() => this.running.delete(key));
    this.running.set(key, started);
    return started;
  }

  /** The run of `key` going now, if any. */
  current(key: K): Promise<void> | undefined {
    return this.running.get(key);
  }

  /** Resolves once every run going now has ended. */
  async idle(): Promise<void> {
    await Promise.all([...this.running.values()]);
  }
}
