import type { EventType } from './event-schemas.js';

/**
 * The Kafka header every platform event carries with its type, so a consumer that does not
 * handle that type passes the record by without decoding it (the event source emulator does
 * not even deliver it; on AWS the mappings' filter criteria do the same from the value).
 */
export const EVENT_TYPE_HEADER = 'orderly-event-type';

export function eventTypeHeader(type: EventType): Record<string, string> {
  return { [EVENT_TYPE_HEADER]: type };
}
