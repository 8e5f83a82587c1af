import type { Producer } from 'kafkajs';
import type { KafkaConfig } from '../config/config.js';
import type { EnvReader } from '../config/env-reader.js';
import { createKafka, createProducer } from '../kafka/kafka-client.js';
import type { Logger } from '../logger/logger.js';
import { OutboxPublisher } from '../outbox/outbox-publisher.js';
import { EventTopics } from './topics.js';

export interface EventsConfig {
  /** Prepended to every topic name (`staging.` gives `staging.orders`). */
  topicPrefix: string;
}

export function readEventsConfig(env: EnvReader): EventsConfig {
  const topicPrefix = env.string('KAFKA_TOPIC_PREFIX', '');
  if (!/^[A-Za-z0-9._-]*$/.test(topicPrefix)) {
    env.report('KAFKA_TOPIC_PREFIX may hold only letters, digits, ".", "_" and "-"');
  }
  return { topicPrefix };
}

/** One producer per process, with the topic names and an outbox publisher on top. */
export interface EventBus {
  producer: Producer;
  topics: EventTopics;
  publisher: OutboxPublisher;
  close(): Promise<void>;
}

export async function connectEventBus(
  kafka: KafkaConfig,
  events: EventsConfig,
  logger: Logger,
): Promise<EventBus> {
  const producer = await createProducer(createKafka(kafka, { logger }));
  const topics = new EventTopics(events.topicPrefix);
  return {
    producer,
    topics,
    publisher: new OutboxPublisher(producer, topics, logger),
    close: () => producer.disconnect(),
  };
}
