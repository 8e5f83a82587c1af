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

/** Publishes right after a write when it can; otherwise leaves the events to the relay. */
export type ImmediatePublisher = Pick<OutboxPublisher, 'publishOrLeave'>;

/**
 * An event bus that connects in the background, for request paths that publish only now and
 * then (checkout): the function starts without waiting for Kafka, and a publish that finds no
 * connection leaves its events to the outbox relay and tries to connect again next time.
 */
export function connectEventBusInBackground(
  kafka: KafkaConfig,
  events: EventsConfig,
  logger: Logger,
): { publisher: ImmediatePublisher; close(): Promise<void> } {
  let connecting: Promise<EventBus> | undefined;
  const connect = () => {
    connecting ??= connectEventBus(kafka, events, logger).catch((err: unknown) => {
      connecting = undefined;
      throw err;
    });
    return connecting;
  };
  connect().catch((err: unknown) =>
    logger.warn({ err }, 'Kafka not reachable yet; events wait in the outbox meanwhile'),
  );
  return {
    publisher: {
      async publishOrLeave(collection, id, pending, options) {
        // A broker that is down must not hold the request: give up waiting after a second.
        const bus = await Promise.race([
          connect().catch(() => undefined),
          new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1_000).unref()),
        ]);
        if (!bus) return false; // the relay publishes them
        return bus.publisher.publishOrLeave(collection, id, pending, options);
      },
    },
    async close() {
      const pending = connecting;
      connecting = undefined;
      if (!pending) return;
      // Still connecting to a broker that is away: do not wait out its retries; close the
      // connection when it is made, if it ever is.
      const settled = await Promise.race([
        pending.then(
          (bus) => bus,
          () => null,
        ),
        new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), 100).unref()),
      ]);
      if (settled === 'pending') {
        pending.then((bus) => bus.close()).catch(() => undefined);
        return;
      }
      await settled?.close();
    },
  };
}
