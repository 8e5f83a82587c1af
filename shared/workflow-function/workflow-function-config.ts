import {
  type KafkaConfig,
  type MongoConfig,
  type RuntimeConfig,
  readKafkaConfig,
  readMongoConfig,
  readRuntimeConfig,
} from '../config/config.js';
import type { EnvReader } from '../config/env-reader.js';
import { type EventsConfig, readEventsConfig } from '../events/event-bus.js';

/** What every Kafka-triggered or scheduled function reads: runtime, database, Kafka, topics. */
export interface WorkflowFunctionConfig {
  runtime: RuntimeConfig;
  mongo: MongoConfig;
  kafka: KafkaConfig;
  events: EventsConfig;
}

export function readWorkflowFunctionConfig(
  env: EnvReader,
  clientId: string,
): WorkflowFunctionConfig {
  const runtime = readRuntimeConfig(env);
  return {
    runtime,
    mongo: readMongoConfig(env, runtime),
    kafka: readKafkaConfig(env, runtime, clientId),
    events: readEventsConfig(env),
  };
}
