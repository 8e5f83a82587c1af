/**
 * Natural batching of writes that many callers make at once (a group commit): a write that
 * finds nothing in flight goes out at once, alone; writes that arrive while one is in flight
 * wait for it and then go out together, in one request. At low load nothing waits; under load
 * the batches grow by themselves, so a server that acknowledges each request after a disk
 * flush or a replication round (Kafka with acks=all, MongoDB with a majority write concern)
 * is asked that once per batch instead of once per caller.
 *
 * A failed request fails every caller in its batch; each caller's own retry applies it again,
 * so what `flush` does must be safe to repeat.
 */
export class GroupCommit<T> {
  private queue: { item: T; resolve: () => void; reject: (err: unknown) => void }[] = [];
  private draining = false;

  constructor(
    private readonly flush: (items: T[]) => Promise<void>,
    private readonly maxBatch = 500,
  ) {}

  submit(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    // Callers of this same tick join the first batch.
    await Promise.resolve();
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        await this.flush(batch.map((entry) => entry.item));
        for (const entry of batch) entry.resolve();
      } catch (err) {
        for (const entry of batch) entry.reject(err);
      }
    }
    this.draining = false;
  }
}
