import type { Producer, TopicMessages } from 'kafkajs';
import { assertValidEvent } from './decode-event.js';
import type { DomainEvent } from './envelope.js';
import type { EventTopics } from './topics.js';

/**
 * The Kafka messages of `events`, grouped by topic, keyed by subject (order id, or SKU), in
 * the given order: events with one key land on one partition in the order they are listed.
 * Each is validated first, so an invalid event fails only its own caller.
 */
export function eventMessages(
  topics: EventTopics,
  events: readonly DomainEvent[],
): TopicMessages[] {
  const byTopic = new Map<string, { key: string; value: string }[]>();
  for (const event of events) {
    assertValidEvent(event);
    const topic = topics.forEvent(event.type);
    const messages = byTopic.get(topic) ?? [];
    messages.push({ key: event.subject, value: JSON.stringify(event) });
    byTopic.set(topic, messages);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
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

/** Publishes events (see `eventMessages`); resolves once every in-sync replica has them. */
export async function publishEvents(
  producer: Producer,
  topics: EventTopics,
  events: readonly DomainEvent[],
): Promise<void> {
  if (events.length === 0) return;
  await producer.sendBatch({ acks: -1, topicMessages: eventMessages(topics, events) });
}
