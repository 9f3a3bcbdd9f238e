const locks = new Map<string, Promise<unknown>>();

/** Runs `fn` after every earlier call with the same key: one writer per head SHA, so no duplicate check runs. */
export async function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = locks.get(key) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  const settled = next.catch(() => undefined);
  locks.set(key, settled);
  try {
    return await next;
  } finally {
    if (locks.get(key) === settled) locks.delete(key);
  }
}
