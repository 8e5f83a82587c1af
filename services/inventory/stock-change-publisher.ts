import type { Producer } from 'kafkajs';
import { type DomainEvent, newEvent } from '../../shared/events/envelope.js';
import { eventTypeHeader } from '../../shared/events/event-type-header.js';
import type { Logger } from '../../shared/logger/logger.js';
import type { StockChangeCause, StockLevel } from './domain/model.js';

/** The StockChanged event as published on the inventory topic (key = SKU). */
export type StockChangedEvent = DomainEvent<'StockChanged'>;

const MAX_QUEUED = 10_000;
const MAX_BATCH = 500;

/**
 * Publishes every stock change to Kafka without putting the broker on the request path:
 * changes are queued and sent in order by one background loop (so per-SKU order holds),
 * retried while the broker is away, and flushed on close. Changes queued while a send is in
 * flight go out coalesced, the latest level of each SKU only (a hot SKU's many holds become one
 * record per send). Past MAX_QUEUED pending events the oldest are dropped with an error log:
 * they are level snapshots, and a later one supersedes them.
 */
export class StockChangePublisher {
  private readonly queue: { key: string; value: string; headers: Record<string, string> }[] = [];
  private sending: Promise<void> | undefined;
  private closed = false;
  private readonly logger: Logger;

  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    logger: Logger,
  ) {
    this.logger = logger.child({ component: 'stock-change-publisher', topic });
  }

  enqueue(level: StockLevel, cause: StockChangeCause): void {
    if (this.closed) return;
    const event: StockChangedEvent = newEvent(
      'StockChanged',
      { ...level, cause },
      { source: 'inventory', subject: level.sku },
    );
    this.queue.push({
      key: level.sku,
      value: JSON.stringify(event),
      headers: eventTypeHeader('StockChanged'),
    });
    if (this.queue.length > MAX_QUEUED) {
      const dropped = this.queue.splice(0, this.queue.length - MAX_QUEUED).length;
      this.logger.error({ dropped }, 'Kafka is not keeping up; oldest stock changes dropped');
    }
    this.sending ??= this.drain().finally(() => {
      this.sending = undefined;
    });
  }

  private async drain(): Promise<void> {
    let backoffMs = 100;
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, MAX_BATCH);
      try {
        await this.producer.send({ topic: this.topic, acks: -1, messages: latestPerKey(batch) });
        this.queue.splice(0, batch.length);
        backoffMs = 100;
      } catch (err) {
        if (this.closed) return;
        this.logger.warn(
          { err, pending: this.queue.length },
          'publishing stock changes failed; retrying',
        );
        await new Promise((resolve) => setTimeout(resolve, backoffMs));
        backoffMs = Math.min(backoffMs * 2, 5_000);
      }
    }
  }

  /** Waits (at most `timeoutMs`) for queued events to be sent, then stops publishing. */
  async close(timeoutMs = 5_000): Promise<void> {
    const pending = this.sending;
    if (pending) {
      await Promise.race([pending, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
    }
    this.closed = true;
    if (this.queue.length > 0)
      this.logger.warn({ lost: this.queue.length }, 'closed with unsent stock changes');
  }
}

/**
 * The last message of each key, in the order the keys first appear: for level snapshots the
 * latest supersedes the others (consumers apply levels by version), so they need not be sent.
 */
export function latestPerKey<T extends { key: string }>(messages: readonly T[]): T[] {
  const latest = new Map<string, T>();
  for (const message of messages) latest.set(message.key, message);
  return [...latest.values()];
}
