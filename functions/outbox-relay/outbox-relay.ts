import type { Document } from 'mongodb';
import { abortableSleep } from '../../shared/async/abortable-sleep.js';
import { InvalidEventError } from '../../shared/events/decode-event.js';
import type { Logger } from '../../shared/logger/logger.js';
import {
  type OutboxCollection,
  type OutboxDocument,
  pendingSince,
} from '../../shared/outbox/outbox.js';
import type { OutboxPublisher } from '../../shared/outbox/outbox-publisher.js';

export interface OutboxRelayOptions {
  /** Events younger than this are left to the writer's own immediate publish (ms). */
  graceMs?: number;
  /** How long one relay owns a document while it publishes it (ms). */
  leaseMs?: number;
  /** Documents per pass. */
  batchSize?: number;
  /** Failed attempts after which a document's events are parked (set aside). */
  maxAttempts?: number;
  /** Longest pause between two attempts at one document (ms). */
  maxBackoffMs?: number;
}

export interface RelayPass {
  documents: number;
  events: number;
  /** Documents whose publish failed in this pass (each retried later on its own). */
  failed: number;
  /** Events set aside in this pass: invalid, or out of attempts. */
  parked: number;
}

/**
 * Publishes every outbox event that its writer did not publish (it crashed, or Kafka was
 * away), oldest first, and removes it from the outbox. Several relays may run at once: each
 * leases a document before publishing it, so they rarely publish the same event twice, and
 * when one dies mid-way its lease runs out and another carries on. An event may go out twice
 * (consumers ignore repeats); it is never lost, because it leaves the outbox only after
 * Kafka acknowledged it. Each document is tried on its own: one that fails waits a growing
 * backoff while the others go out, and events that can never be published are parked.
 */
export class OutboxRelay {
  private readonly graceMs: number;
  private readonly leaseMs: number;
  private readonly batchSize: number;
  private readonly maxAttempts: number;
  private readonly maxBackoffMs: number;
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
    this.maxAttempts = options.maxAttempts ?? 20;
    this.maxBackoffMs = options.maxBackoffMs ?? 5 * 60_000;
    this.logger = logger.child({ component: 'outbox-relay' });
  }

  /** One pass over every source; returns what it published. */
  async runOnce(now = new Date()): Promise<RelayPass> {
    const pass: RelayPass = { documents: 0, events: 0, failed: 0, parked: 0 };
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
          { returnDocument: 'after', projection: { outbox: 1, outboxAttempts: 1 } },
        );
        if (!leased) continue; // another relay has it
        try {
          await this.publisher.publish(collection, _id, leased.outbox);
          pass.documents += 1;
          pass.events += leased.outbox.length;
          await collection.updateOne(
            { _id },
            { $set: { outboxLeaseUntil: null }, $unset: { outboxAttempts: '' } },
          );
        } catch (err) {
          // One document's failure is its own: it waits its backoff, the others go on.
          pass.failed += 1;
          pass.parked += await this.failed(collection, leased, err, now);
        }
      }
    }
    // Each failure is logged where it happens (failed below); a pass itself is routine.
    if (pass.events > 0 || pass.failed > 0) this.logger.debug(pass, 'outbox relay pass');
    return pass;
  }

  /**
   * Records a failed publish of one document: it is tried again after a backoff that doubles
   * per attempt, and its events are parked (moved to `outboxParked`, with the reason) when
   * they can never be published (they break their schema) or have used their attempts.
   * Returns how many events were parked.
   */
  private async failed(
    collection: OutboxCollection,
    leased: OutboxDocument,
    err: unknown,
    now: Date,
  ): Promise<number> {
    const attempts = (leased.outboxAttempts ?? 0) + 1;
    const reason = err instanceof Error ? err.message : String(err);
    const where = { collection: collection.collectionName, id: String(leased._id), attempts };
    const hopeless = err instanceof InvalidEventError || attempts >= this.maxAttempts;
    if (!hopeless) {
      const backoffMs = Math.min(1_000 * 2 ** (attempts - 1), this.maxBackoffMs);
      this.logger.warn({ ...where, err, backoffMs }, 'publishing an outbox failed; retrying later');
      await collection.updateOne(
        { _id: leased._id },
        {
          $set: {
            outboxAttempts: attempts,
            outboxLeaseUntil: new Date(now.getTime() + backoffMs),
          },
        },
      );
      return 0;
    }
    const parked = leased.outbox.map((event) => ({ event, reason: reason.slice(0, 500), at: now }));
    this.logger.error(
      { ...where, err, events: parked.map(({ event }) => `${event.type} ${event.id}`) },
      'outbox events parked: they cannot be published; the repair sweep settles their order',
    );
    await collection.updateOne({ _id: leased._id }, {
      $pull: { outbox: { id: { $in: leased.outbox.map((event) => event.id) } } },
      $push: { outboxParked: { $each: parked } },
      $set: { outboxLeaseUntil: null },
      $unset: { outboxAttempts: '' },
    } as Document);
    return parked.length;
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
