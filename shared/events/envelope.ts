import { createHash, randomUUID } from 'node:crypto';
import { type Static, Type } from '@sinclair/typebox';
import type { EventDataOf, EventType } from './event-schemas.js';

/** The JSON envelope every event travels in; `data` is checked against its type's schema. */
export const Envelope = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 100 }),
  type: Type.String({ minLength: 1, maxLength: 100 }),
  version: Type.Integer({ minimum: 1 }),
  source: Type.String({ minLength: 1, maxLength: 100 }),
  time: Type.String({ format: 'date-time' }),
  /** The order id, or the SKU for StockChanged; also the Kafka message key. */
  subject: Type.String({ minLength: 1, maxLength: 100 }),
  /** The order the event belongs to: the id of the first event's subject. */
  correlationId: Type.String({ minLength: 1, maxLength: 100 }),
  /** The event that caused this one, or null for an event caused by a request. */
  causationId: Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()]),
  data: Type.Object({}),
});

export type EnvelopeFields = Omit<Static<typeof Envelope>, 'type' | 'data'>;

/** A validated event of one type. */
export type DomainEvent<T extends EventType = EventType> = T extends EventType
  ? EnvelopeFields & { type: T; data: EventDataOf<T> }
  : never;

/**
 * The id of an event caused by another one: derived from the cause and the type, so a
 * handler that runs again for the same cause (a redelivered batch) emits the same id and
 * consumers recognise the repeat.
 */
export function derivedEventId(causationId: string, type: EventType): string {
  const hex = createHash('sha256').update(`${causationId}\u0000${type}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface NewEventOptions {
  source: string;
  subject: string;
  /** The event this one answers; gives a derived id and carries the correlation on. */
  causedBy?: Pick<EnvelopeFields, 'id' | 'correlationId'>;
  /** A fixed id, for an event that must be the same however often it is built. */
  id?: string;
  now?: Date;
}

export function newEvent<T extends EventType>(
  type: T,
  data: EventDataOf<T>,
  options: NewEventOptions,
): DomainEvent<T> {
  const { causedBy } = options;
  return {
    id: options.id ?? (causedBy ? derivedEventId(causedBy.id, type) : randomUUID()),
    type,
    version: 1,
    source: options.source,
    time: (options.now ?? new Date()).toISOString(),
    subject: options.subject,
    correlationId: causedBy?.correlationId ?? options.subject,
    causationId: causedBy?.id ?? null,
    data,
  } as DomainEvent<T>;
}
