import type { Collection, Document, Filter, OptionalUnlessRequiredId, UpdateFilter } from 'mongodb';
import type { DomainEvent } from '../events/envelope.js';
import { GroupedGuardedUpdates, GroupedInserts } from '../mongo/grouped-updates.js';
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
  private readonly updates: GroupedGuardedUpdates<TDoc>;
  private readonly inserts: GroupedInserts<TDoc>;

  constructor(
    readonly collection: Collection<TDoc>,
    private readonly sender: OutboxSender,
  ) {
    this.outbox = outboxStoreOf(collection);
    this.updates = new GroupedGuardedUpdates(collection);
    this.inserts = new GroupedInserts(collection);
  }

  /**
   * Applies `change` to `doc` (as its caller loaded it) and sends the events the change stored.
   * Returns the document after the change, or null when the guard failed (another state, or a
   * repeat of the cause); the caller reloads to learn which. The write goes out grouped with
   * the other changes made at the same moment (GroupedGuardedUpdates), so the document after
   * it is built here from `doc`: its outbox holds this change's events only (what an earlier
   * write left there is sent by that write's retry or by the outbox relay).
   */
  async apply(doc: TDoc, change: AggregateChange): Promise<TDoc | null> {
    const now = new Date();
    const filter: Document = { ...change.guard, _id: doc._id };
    const push: Document = { ...change.push };
    if (change.appliedId !== null) {
      filter.appliedEvents = { $ne: change.appliedId };
      push.appliedEvents = change.appliedId;
    }
    const entries = outboxEntries(change.emit);
    if (entries.length > 0) push.outbox = { $each: entries };
    const update: Document = { $set: { updatedAt: now, ...change.set } };
    if (change.unset) update.$unset = change.unset;
    if (Object.keys(push).length > 0) update.$push = push;
    const applied = await this.updates.updateOne(
      filter as Filter<TDoc> & { _id: unknown },
      update as UpdateFilter<TDoc>,
    );
    if (!applied) return null;
    const after = documentAfter(doc, change, now, entries);
    await this.sendOutbox(after);
    return after;
  }

  /** Stores a new aggregate (grouped with the inserts made at the same moment), then sends its outbox. */
  async insert(doc: TDoc): Promise<void> {
    await this.inserts.insertOne(doc as OptionalUnlessRequiredId<TDoc>);
    await this.sendOutbox(doc);
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

/** The document as `change` leaves it, built from the one the caller loaded. */
function documentAfter<TDoc extends AggregateDocument>(
  doc: TDoc,
  change: AggregateChange,
  now: Date,
  outbox: OutboxDocument['outbox'],
): TDoc {
  // As stored: the change's own `updatedAt`, if it sets one, wins over the write's time.
  const after: Document = { ...doc, updatedAt: now, ...change.set, outbox };
  for (const field of Object.keys(change.unset ?? {})) delete after[field];
  for (const [field, value] of Object.entries(change.push ?? {})) {
    after[field] = [...((doc as Document)[field] ?? []), value];
  }
  if (change.appliedId !== null) after.appliedEvents = [...doc.appliedEvents, change.appliedId];
  return after as TDoc;
}
