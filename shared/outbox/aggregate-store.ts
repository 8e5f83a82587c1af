import type { Collection, Document, Filter, UpdateFilter } from 'mongodb';
import type { DomainEvent } from '../events/envelope.js';
import { type OutboxDocument, type OutboxStore, outboxEntries, outboxStoreOf } from './outbox.js';
import type { OutboxPublisher } from './outbox-publisher.js';

/**
 * A document that is an aggregate: it changes only by guarded single-document writes, each
 * recording the id of what caused it (so a repeat changes nothing) and carrying the events it
 * causes in its own outbox (so state and events are written together or not at all).
 */
export interface AggregateDocument extends OutboxDocument {
  /** Ids of the events (or other causes) this document has applied. */
  appliedEvents: string[];
  updatedAt: Date;
}

/** One guarded change of an aggregate. */
export interface AggregateChange {
  /** What the document must hold for the change to apply (its status, say). */
  guard: Document;
  /**
   * The id of what caused the change: the write applies only if the document has not
   * applied it yet, and records it. Null for a change that is its own guard (a requeue).
   */
  appliedId: string | null;
  set?: Document;
  unset?: Document;
  /** Other arrays the change appends to (the order's history). */
  push?: Document;
  /** Events caused by the change, stored in the outbox by the same write. */
  emit: readonly DomainEvent[];
}

/** How an aggregate's pending events leave once its write is durable. */
export interface OutboxSender {
  send(
    collection: OutboxStore,
    id: OutboxDocument['_id'],
    events: readonly DomainEvent[],
  ): Promise<void>;
}

/**
 * For Kafka-triggered functions: a failed publish fails the record, whose redelivery finds
 * the change applied and sends what it left (the event source retries it).
 */
export function sendNow(publisher: Pick<OutboxPublisher, 'publish'>): OutboxSender {
  return { send: (collection, id, events) => publisher.publish(collection, id, events) };
}

/**
 * For requests and sweeps, which must not fail once their write is done: a failed or slow
 * publish is logged, and the outbox relay sends the events.
 */
export function sendOrLeave(publisher: Pick<OutboxPublisher, 'publishOrLeave'>): OutboxSender {
  return { send: (collection, id, events) => publisher.publishOrLeave(collection, id, events) };
}

export function hasApplied(doc: Pick<AggregateDocument, 'appliedEvents'>, id: string): boolean {
  return doc.appliedEvents.includes(id);
}

/**
 * The one place where an aggregate is written: a guarded update that records its cause and
 * fills the outbox in one atomic write, then the send of that outbox. Orders and payments
 * both change through it.
 */
export class AggregateStore<TDoc extends AggregateDocument> {
  private readonly outbox: OutboxStore;

  constructor(
    readonly collection: Collection<TDoc>,
    private readonly sender: OutboxSender,
  ) {
    this.outbox = outboxStoreOf(collection);
  }

  /**
   * Applies `change` to the document `id` and sends its outbox. Returns the document after
   * the change, or null when the guard failed (another state, or a repeat of the cause); the
   * caller reloads to learn which.
   */
  async apply(id: TDoc['_id'], change: AggregateChange): Promise<TDoc | null> {
    const filter: Document = { ...change.guard, _id: id };
    const push: Document = { ...change.push };
    if (change.appliedId !== null) {
      filter.appliedEvents = { $ne: change.appliedId };
      push.appliedEvents = change.appliedId;
    }
    if (change.emit.length > 0) push.outbox = { $each: outboxEntries(change.emit) };
    const update: Document = { $set: { updatedAt: new Date(), ...change.set } };
    if (change.unset) update.$unset = change.unset;
    if (Object.keys(push).length > 0) update.$push = push;
    const after = await this.collection.findOneAndUpdate(
      filter as Filter<TDoc>,
      update as UpdateFilter<TDoc>,
      { returnDocument: 'after' },
    );
    if (after) await this.sendOutbox(after as TDoc);
    return after as TDoc | null;
  }

  /**
   * Sends the document's pending events. Also run for a repeated cause: it sends what an
   * earlier delivery stored but did not get out (it may have died in between).
   */
  sendOutbox(doc: Pick<TDoc, '_id' | 'outbox'>): Promise<void> {
    if (doc.outbox.length === 0) return Promise.resolve();
    return this.sender.send(this.outbox, doc._id, doc.outbox);
  }
}
