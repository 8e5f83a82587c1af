import { abortableSleep } from '../../shared/async/abortable-sleep.js';
import type { Logger } from '../../shared/logger/logger.js';
import { type OutboxCollection, pendingSince } from '../../shared/outbox/outbox.js';
import type { OutboxPublisher } from '../../shared/outbox/outbox-publisher.js';

export interface OutboxRelayOptions {
  /** Events younger than this are left to the writer's own immediate publish (ms). */
  graceMs?: number;
  /** How long one relay owns a document while it publishes it (ms). */
  leaseMs?: number;
  /** Documents per pass. */
  batchSize?: number;
}

export interface RelayPass {
  documents: number;
  events: number;
}

/**
 * Publishes every outbox event that its writer did not publish (it crashed, or Kafka was
 * away), oldest first, and removes it from the outbox. Several relays may run at once: each
 * leases a document before publishing it, so they rarely publish the same event twice, and
 * when one dies mid-way its lease runs out and another carries on. An event may go out twice
 * (consumers ignore repeats); it is never lost, because it leaves the outbox only after
 * Kafka acknowledged it.
 */
export class OutboxRelay {
  private readonly graceMs: number;
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly logger: Logger;

  constructor(
    private readonly sources: readonly OutboxCollection[],
    private readonly publisher: OutboxPublisher,
    logger: Logger,
    options: OutboxRelayOptions = {},
  ) {
    this.graceMs = options.graceMs ?? 1_000;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.batchSize = options.batchSize ?? 100;
    this.logger = logger.child({ component: 'outbox-relay' });
  }

  /** One pass over every source; returns what it published. */
  async runOnce(now = new Date()): Promise<RelayPass> {
    const pass: RelayPass = { documents: 0, events: 0 };
    for (const collection of this.sources) {
      const candidates = await collection
        .find(
          {
            ...pendingSince(new Date(now.getTime() - this.graceMs)),
            $or: [{ outboxLeaseUntil: null }, { outboxLeaseUntil: { $lt: now } }],
          },
          { projection: { _id: 1 } },
        )
        .sort({ 'outbox.0.time': 1 })
        .limit(this.batchSize)
        .toArray();
      for (const { _id } of candidates) {
        const leased = await collection.findOneAndUpdate(
          { _id, $or: [{ outboxLeaseUntil: null }, { outboxLeaseUntil: { $lt: now } }] },
          { $set: { outboxLeaseUntil: new Date(now.getTime() + this.leaseMs) } },
          { returnDocument: 'after', projection: { outbox: 1 } },
        );
        if (!leased) continue; // another relay has it
        try {
          await this.publisher.publish(collection, _id, leased.outbox);
          pass.documents += 1;
          pass.events += leased.outbox.length;
        } finally {
          await collection.updateOne({ _id }, { $set: { outboxLeaseUntil: null } });
        }
      }
    }
    if (pass.events > 0) this.logger.info(pass, 'published pending outbox events');
    return pass;
  }

  /**
   * Runs passes until `signal` aborts: at once again while there was work, else after
   * `idleMs`. A failed pass is logged and retried after a pause.
   */
  async runUntil(signal: AbortSignal, idleMs = 250): Promise<void> {
    while (!signal.aborted) {
      let pause = idleMs;
      try {
        const pass = await this.runOnce();
        if (pass.documents >= this.batchSize) pause = 0;
      } catch (err) {
        this.logger.warn({ err }, 'relay pass failed; retrying');
        pause = Math.max(idleMs, 1_000);
      }
      if (pause > 0) await abortableSleep(pause, signal);
    }
  }
}
