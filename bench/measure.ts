/** Runs `fn` `n` times after a warm-up and returns the mean time per call in microseconds. */
export function perCallMicros(n: number, fn: (i: number) => unknown): number {
  for (let i = 0; i < Math.min(n, 200); i++) fn(i);
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  return Number(process.hrtime.bigint() - t) / 1000 / n;
}
/** Rounds to `d` significant decimals for printing. */
export function round(x: number, d = 2): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}
