import type { TopicMessages } from 'kafkajs';
import { assertValidEvent } from './decode-event.js';
import type { DomainEvent } from './envelope.js';
import { eventTypeHeader } from './event-type-header.js';
import type { EventTopics } from './topics.js';

/**
 * The Kafka messages of `events`, grouped by topic, keyed by subject (order id, or SKU), in
 * the given order: events with one key land on one partition in the order they are listed.
 * Each is validated first, so an invalid event fails only its own caller. An outbox entry's
 * stored trace context is left out of the event; `headers[i]` (the publish span's context)
 * become the i-th record's headers, beside the event's type (event-type-header.ts).
 */
export function eventMessages(
  topics: EventTopics,
  events: readonly (DomainEvent & { trace?: unknown })[],
  headers: readonly (Record<string, string> | undefined)[] = [],
): TopicMessages[] {
  return mergeTopicMessages([
    events.map(({ trace: _stored, ...event }, index) => {
      assertValidEvent(event);
      return {
        topic: topics.forEvent(event.type),
        messages: [
          {
            key: event.subject,
            value: JSON.stringify(event),
            headers: { ...headers[index], ...eventTypeHeader(event.type) },
          },
        ],
      };
    }),
  ]);
}

/** Several callers' messages as one request's, each topic once, every caller's order kept. */
export function mergeTopicMessages(batches: readonly TopicMessages[][]): TopicMessages[] {
  const byTopic = new Map<string, TopicMessages['messages']>();
  for (const batch of batches) {
    for (const { topic, messages } of batch) {
      const merged = byTopic.get(topic) ?? [];
      merged.push(...messages);
      byTopic.set(topic, merged);
    }
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
