import { loadConfig, readKafkaConfig, readRuntimeConfig } from '../shared/config/config.js';
import { readEventsConfig } from '../shared/events/event-bus.js';
import { EventTopics } from '../shared/events/topics.js';
import { createKafka, ensureTopics } from '../shared/kafka/kafka-client.js';
import { createToolLogger } from '../shared/logger/tool-logger.js';

/**
 * `npm run topics`: creates Orderly's topics and their dead-letter twins on the cluster that
 * KAFKA_BROKERS names (with KAFKA_TLS / KAFKA_SASL_* for a managed one), once per environment
 * before the first deploy: brokers here do not create topics on first use. Idempotent.
 * KAFKA_REPLICATION_FACTOR (default 1) should be 3 on a production cluster.
 */
const logger = createToolLogger('topics');

async function main(): Promise<void> {
  const config = loadConfig((env) => {
    const runtime = readRuntimeConfig(env);
    return {
      kafka: readKafkaConfig(env, runtime, 'orderly-topics'),
      events: readEventsConfig(env),
      replicationFactor: env.int('KAFKA_REPLICATION_FACTOR', 1, { min: 1, max: 7 }),
    };
  });
  const specs = new EventTopics(config.events.topicPrefix)
    .specs()
    .map((spec) => ({ ...spec, replicationFactor: config.replicationFactor }));
  const created = await ensureTopics(createKafka(config.kafka, { logger }), specs);
  for (const spec of specs) {
    logger.info(
      `${spec.topic}: ${spec.partitions} partition${spec.partitions === 1 ? '' : 's'}, ${created.includes(spec.topic) ? 'created' : 'already there'}`,
    );
  }
}

main().catch((err: unknown) => {
  logger.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
