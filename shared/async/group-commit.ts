import { type Context, context, ROOT_CONTEXT } from '@opentelemetry/api';

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
  private readonly calls: GroupCall<T, void>;

  constructor(flush: (items: T[]) => Promise<void>, maxBatch = 500) {
    this.calls = new GroupCall<T, void>(async (items) => {
      await flush(items);
      return items.map(() => ({ ok: true, value: undefined }));
    }, maxBatch);
  }

  submit(item: T): Promise<void> {
    return this.calls.submit(item);
  }
}

/** One caller's answer from a batch: its own result, or its own error. */
export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * A group commit whose callers each get their own answer (an insert refused as a duplicate, a
 * guarded update whose guard did not hold): `flush` answers the batch in its order. A flush
 * that throws fails every caller of its batch, as in GroupCommit.
 */
export class GroupCall<T, R> {
  private queue: {
    item: T;
    /** The trace the caller was in: a batch's command is a span of its first caller's trace. */
    context: Context;
    resolve: (value: R) => void;
    reject: (err: unknown) => void;
  }[] = [];
  private draining = false;

  constructor(
    private readonly flush: (items: T[]) => Promise<Outcome<R>[]>,
    private readonly maxBatch = 500,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, context: context.active(), resolve, reject });
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
        const items = batch.map((entry) => entry.item);
        // Not the context of whoever started the drain: each batch belongs to one of its own.
        const first = batch[0]?.context ?? ROOT_CONTEXT;
        const outcomes = await context.with(first, () => this.flush(items));
        batch.forEach((entry, i) => {
          const outcome = outcomes[i];
          if (!outcome) entry.reject(new Error('a grouped call got no answer'));
          else if (outcome.ok) entry.resolve(outcome.value);
          else entry.reject(outcome.error);
        });
      } catch (err) {
        for (const entry of batch) entry.reject(err);
      }
    }
    this.draining = false;
  }
}
