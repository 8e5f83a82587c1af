import { readConnectionSettings } from '../../localstack/infra/connection-settings.js';
import { loadConfig, readKafkaConfig } from '../../shared/config/config.js';
import { readEventsConfig } from '../../shared/events/event-bus.js';
import { DEAD_LETTER_SUFFIX } from '../../shared/events/topics.js';
import { createKafka } from '../../shared/kafka/kafka-client.js';
import { createToolLogger } from '../../shared/logger/tool-logger.js';
import { readDeadLetters, replayDeadLetters } from './dead-letter-tool.js';

/**
 * `npm run dlq -- list orders` prints the dead letters of `orders.dlq`;
 * `npm run dlq -- replay orders [offset ...]` produces them (or the given ones) to `orders` again.
 */
const logger = createToolLogger('dlq');

async function main([command, topicArg, ...offsets]: string[]): Promise<void> {
  if ((command !== 'list' && command !== 'replay') || !topicArg) {
    throw new Error('usage: npm run dlq -- list|replay <topic> [offset ...]');
  }
  // The functions' own settings: KAFKA_BROKERS, KAFKA_TLS, KAFKA_SASL_* for a managed cluster
  // and KAFKA_TOPIC_PREFIX, with the local broker that infra:up recorded as the default.
  const config = loadConfig(
    (env) => ({
      kafka: readKafkaConfig(env, { nodeEnv: 'development', logLevel: 'info' }, 'orderly-dlq'),
      events: readEventsConfig(env),
    }),
    {
      ...process.env,
      KAFKA_BROKERS:
        process.env.KAFKA_BROKERS ?? readConnectionSettings().KAFKA_BROKERS ?? '127.0.0.1:9092',
    },
  );
  // `orders`, `orders.dlq`, or the prefixed `staging.orders.dlq`: all name the same topic.
  const prefix = config.events.topicPrefix;
  const topic = topicArg.startsWith(prefix) ? topicArg : `${prefix}${topicArg}`;
  const dlqTopic = topic.endsWith(DEAD_LETTER_SUFFIX) ? topic : `${topic}${DEAD_LETTER_SUFFIX}`;
  const kafka = createKafka(config.kafka, { logger });
  const letters = await readDeadLetters(kafka, dlqTopic);
  if (command === 'list') {
    for (const letter of letters) {
      process.stdout.write(
        `${letter.offset}\t${letter.reason}\t${letter.source}\t${letter.consumer}\t${letter.time}\t${letter.detail}\n`,
      );
    }
    logger.info({ topic: dlqTopic, count: letters.length }, 'dead letters listed');
    return;
  }
  const chosen = offsets.length > 0 ? letters.filter((l) => offsets.includes(l.offset)) : letters;
  const replayed = await replayDeadLetters(kafka, chosen, dlqTopic);
  logger.info({ topic: dlqTopic, replayed }, 'dead letters produced again to their topics');
}

main(process.argv.slice(2)).catch((err: unknown) => {
  logger.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
