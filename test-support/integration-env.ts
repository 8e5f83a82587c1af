import { randomUUID } from 'node:crypto';
import {
  type KafkaConfig,
  loadConfig,
  type MongoConfig,
  readKafkaConfig,
  readMongoConfig,
  readRuntimeConfig,
} from '../shared/config/config.js';
import { createLogger, type Logger } from '../shared/logger/logger.js';

/**
 * Connection settings for integration tests. `npm test` starts the real servers and sets
 * KAFKA_BROKERS and MONGODB_URI; run alone, a test file uses the same localhost defaults
 * as the functions do.
 */
export function integrationConfig(): Readonly<{ kafka: KafkaConfig; mongo: MongoConfig }> {
  return loadConfig((env) => {
    const runtime = readRuntimeConfig(env);
    return {
      kafka: readKafkaConfig(env, runtime, 'orderly-tests'),
      mongo: readMongoConfig(env, runtime),
    };
  });
}

/** A name no other test run uses, so tests never see each other's topics or databases. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
}

/** A logger for tests: quiet unless LOG_LEVEL asks for more. */
export function testLogger(): Logger {
  return createLogger({ name: 'test', level: process.env.LOG_LEVEL ?? 'error' });
}
