/**
 * Per-key concurrency for the records of one partition. Records with the same key (one
 * order's events, keyed by the order id) form a lane and run one after another in offset
 * order; different lanes run side by side, at most `concurrency` at a time. This keeps the
 * guarantee Kafka gives (events of one key in order) while a partition's batch is worked on by
 * many orders at once.
 *
 * After the first failure no record starts any more; the ones already running finish, and
 * then the failure is thrown. So nothing of this batch still runs when the invocation answers,
 * and a lane never goes past a record of its own that failed.
 */
export async function runInKeyLanes<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  concurrency: number,
  run: (item: T) => Promise<void>,
): Promise<void> {
  const lanes = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const lane = lanes.get(key);
    if (lane) lane.push(item);
    else lanes.set(key, [item]);
  }
  const waiting = [...lanes.values()];
  let failure: { error: unknown } | undefined;

  async function worker(): Promise<void> {
    for (let lane = waiting.shift(); lane && !failure; lane = waiting.shift()) {
      for (const item of lane) {
        if (failure) return;
        try {
          await run(item);
        } catch (error) {
          failure ??= { error };
          return;
        }
      }
    }
  }

  const workers = Math.max(1, Math.min(concurrency, waiting.length));
  await Promise.all(Array.from({ length: workers }, worker));
  if (failure) throw failure.error;
}
