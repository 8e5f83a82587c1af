import type { Collection, Document, ObjectId } from 'mongodb';
import type { DomainEvent } from '../events/envelope.js';
import { carrierOf, type TraceCarrier } from '../telemetry/trace-context.js';

/**
 * An event waiting in an outbox, with the trace context of the step that caused it: whoever
 * publishes it (right away, or a relay minutes later) continues that trace. The context
 * goes into the Kafka record's headers, never into the event itself.
 */
export type OutboxEvent = DomainEvent & { trace?: TraceCarrier };

/** `events` as outbox entries, each carrying the active trace context (none: tracing off). */
export function outboxEntries(events: readonly DomainEvent[]): OutboxEvent[] {
  const trace = carrierOf();
  return trace ? events.map((event) => ({ ...event, trace })) : [...events];
}

/**
 * A document that carries its own unpublished events (the outbox inside the aggregate): the
 * state change and the events it causes are one atomic single-document write. Published
 * events are pulled out of the array, so `outbox` holds only what still has to go out.
 */
export interface OutboxDocument extends Document {
  _id: ObjectId | string;
  outbox: OutboxEvent[];
  /**
   * Set by a relay while it publishes this document's events, so other relays skip it; after
   * a failed publish, the time before which no relay tries again.
   */
  outboxLeaseUntil?: Date | null;
  /** Failed relay attempts at the current outbox, reset when it goes out. */
  outboxAttempts?: number;
  /** Events no publish could get out, set aside with why; the repair sweep acts on them. */
  outboxParked?: ParkedEvent[];
}

export interface ParkedEvent {
  event: DomainEvent;
  reason: string;
  at: Date;
}

export type OutboxCollection = Collection<OutboxDocument>;

/**
 * Where a publisher removes what it published: any collection of outbox documents, typed with
 * its own document type (orders, payments).
 */
export type OutboxStore = Pick<OutboxCollection, 'updateOne' | 'bulkWrite'>;

/**
 * A collection of documents of its own type (orders, payments) seen as an outbox store: the
 * outbox fields are the same in each, which the driver's types cannot see through the
 * document type parameter.
 */
export function outboxStoreOf<T extends OutboxDocument>(collection: Collection<T>): OutboxStore {
  return collection as unknown as OutboxStore;
}

/** Query: documents with an event older than `cutoff` (ISO time) waiting to be published. */
export function pendingSince(cutoff: Date): Document {
  return { 'outbox.0.time': { $lt: cutoff.toISOString() } };
}

/** The update that removes published events from a document's outbox. */
export function pullPublished(ids: readonly string[]): Document {
  return { $pull: { outbox: { id: { $in: [...ids] } } } };
}
