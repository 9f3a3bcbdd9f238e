/** Delays a simulator is holding an answer for, so that `stop()` can cancel them. */
export class PendingTimers {
  private readonly timers = new Set<NodeJS.Timeout>();

  /** Resolves after `ms` milliseconds, unless cancelled first (then it never resolves). */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  /** Cancels every pending delay. */
  cancelAll(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
