/** How the records run many single-item writes: a bounded number at a time, backing off between retries. */

/** Writes in flight at once: fast for thousands of items, gentle on the table's partitions. */
const CONCURRENCY = 32;

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `fn` over the items, at most 32 at a time; the first error is thrown once every call has settled. */
export async function eachLimited<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failure) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  if (failure) throw failure.error;
}
