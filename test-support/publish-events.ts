import type { Producer } from 'kafkajs';
import type { DomainEvent } from '../shared/events/envelope.js';
import { eventMessages } from '../shared/events/event-producer.js';
import type { EventTopics } from '../shared/events/topics.js';

/**
 * Publishes events straight to their topics, bypassing any outbox, as a test does to stage
 * a crash after a publish or a repeated delivery. Resolves once every in-sync replica has them.
 */
export async function publishEvents(
  producer: Producer,
  topics: EventTopics,
  events: readonly DomainEvent[],
): Promise<void> {
  if (events.length === 0) return;
  await producer.sendBatch({ acks: -1, topicMessages: eventMessages(topics, events) });
}
