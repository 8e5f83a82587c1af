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
  /**
   * The events in the document's outbox are on Kafka already: the change's cause is one of
   * them, delivered. The write replaces the outbox with its own events (and ends the relay's
   * wait for it), which removes what a publish left there without a write of its own.
   */
  outboxDelivered?: boolean;
  /**
   * `emit` is announced, not stored: sent after the write, failing the caller when it does not
   * go out. Only for a change whose events the document can build again (`announceAgain` in
   * its aggregate) and whose caller is retried until they are out: a write fewer per event.
   */
  announce?: boolean;
}

type Send = (
  collection: OutboxStore,
  id: OutboxDocument['_id'],
  events: readonly DomainEvent[],
) => Promise<void>;

/** How an aggregate's pending events leave once its write is durable. */
export interface OutboxSender {
  /** Publishes stored events and removes them from the outbox. */
  send: Send;
  /**
   * Publishes stored events and leaves them in the outbox for a later write of the document
   * to remove (see `outboxDelivered`); the write that stored them also leased the document
   * from the relay for a while. If they did not go out, the lease is ended so that the relay
   * sends them at once.
   */
  sendKept: Send;
  /** Publishes events that are not stored (`announce`): fails when they do not go out. */
  announce: Send;
}

/**
 * For Kafka-triggered functions: a failed publish fails the record, whose redelivery finds
 * the change applied and sends what it left (the event source retries it).
 */
export function sendNow(publisher: Pick<OutboxPublisher, 'publish'>): OutboxSender {
  return {
    send: (collection, id, events) => publisher.publish(collection, id, events),
    sendKept: (collection, id, events) =>
      publisher.publish(collection, id, events, { remove: false }),
    announce: (collection, id, events) =>
      publisher.publish(collection, id, events, { remove: false }),
  };
}

/**
 * For requests and sweeps, which must not fail once their write is done: a failed or slow
 * publish is logged, and the outbox relay sends the events.
 */
export function sendOrLeave(
  publisher: Pick<OutboxPublisher, 'publishOrLeave'> & Partial<Pick<OutboxPublisher, 'publish'>>,
): OutboxSender {
  return {
    send: async (collection, id, events) => {
      await publisher.publishOrLeave(collection, id, events);
    },
    sendKept: async (collection, id, events) => {
      const sent = await publisher.publishOrLeave(collection, id, events, { remove: false });
      if (!sent) await handToRelay(collection, id);
    },
    announce: (collection, id, events) =>
      publisher.publish
        ? publisher.publish(collection, id, events, { remove: false })
        : relayOnly.announce(collection, id, events),
  };
}

/** Without Kafka: every stored event is the relay's to send; nothing can be announced. */
export const relayOnly: OutboxSender = {
  send: async () => undefined,
  sendKept: (collection, id) => handToRelay(collection, id),
  announce: async () => {
    throw new Error('no Kafka connection: an event that is not stored cannot be sent');
  },
};

/**
 * Ends the lease a write took on its document's outbox, so the relay takes the events after
 * its usual grace. Best effort: if this fails too, the relay takes them when the lease ends.
 */
async function handToRelay(collection: OutboxStore, id: OutboxDocument['_id']): Promise<void> {
  await collection
    .updateOne({ _id: id }, { $set: { outboxLeaseUntil: null } })
    .catch(() => undefined);
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
    const entries = change.announce ? [] : outboxEntries(change.emit);
    const set: Document = { updatedAt: now, ...change.set };
    if (change.outboxDelivered) {
      set.outbox = entries;
      set.outboxLeaseUntil = null;
    } else if (entries.length > 0) {
      push.outbox = { $each: entries };
    }
    const update: Document = { $set: set };
    if (change.unset) update.$unset = change.unset;
    if (Object.keys(push).length > 0) update.$push = push;
    const applied = await this.updates.updateOne(
      filter as Filter<TDoc> & { _id: unknown },
      update as UpdateFilter<TDoc>,
    );
    if (!applied) return null;
    const after = documentAfter(doc, change, now, entries);
    if (change.announce) await this.announce(after, change.emit);
    else await this.sendOutbox(after);
    return after;
  }

  /**
   * Stores a new aggregate (grouped with the inserts made at the same moment), then sends its
   * outbox. `keep`: the events stay in the outbox for a later write to remove (`outboxDelivered`);
   * the document comes with a relay lease (`outboxLeaseUntil`) that covers the wait.
   */
  async insert(doc: TDoc, { keep = false } = {}): Promise<void> {
    await this.inserts.insertOne(doc as OptionalUnlessRequiredId<TDoc>);
    if (!keep) await this.sendOutbox(doc);
    else if (doc.outbox.length > 0) await this.sender.sendKept(this.outbox, doc._id, doc.outbox);
  }

  /** Sends events the document does not store (see `AggregateChange.announce`). */
  announce(doc: Pick<TDoc, '_id'>, events: readonly DomainEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    return this.sender.announce(this.outbox, doc._id, outboxEntries(events));
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
  if (change.outboxDelivered) after.outboxLeaseUntil = null;
  for (const field of Object.keys(change.unset ?? {})) delete after[field];
  for (const [field, value] of Object.entries(change.push ?? {})) {
    after[field] = [...((doc as Document)[field] ?? []), value];
  }
  if (change.appliedId !== null) after.appliedEvents = [...doc.appliedEvents, change.appliedId];
  return after as TDoc;
}
