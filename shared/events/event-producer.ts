import type { Producer } from 'kafkajs';
import { assertValidEvent } from './decode-event.js';
import type { DomainEvent } from './envelope.js';
import type { EventTopics } from './topics.js';

/**
 * Publishes events to their topics, keyed by subject (order id, or SKU), in the given order:
 * events with one key land on one partition in the order they are listed. Each is
 * validated first. Resolves once every in-sync replica has them.
 */
export async function publishEvents(
  producer: Producer,
  topics: EventTopics,
  events: readonly DomainEvent[],
): Promise<void> {
  if (events.length === 0) return;
  const byTopic = new Map<string, { key: string; value: string }[]>();
  for (const event of events) {
    assertValidEvent(event);
    const topic = topics.forEvent(event.type);
    const messages = byTopic.get(topic) ?? [];
    messages.push({ key: event.subject, value: JSON.stringify(event) });
    byTopic.set(topic, messages);
  }
  await producer.sendBatch({
    acks: -1,
    topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
  });
}
