import {
  type KafkaConfig,
  type MongoConfig,
  type RuntimeConfig,
  readKafkaConfig,
  readMongoConfig,
  readRuntimeConfig,
} from '../../shared/config/config.js';
import type { EnvReader } from '../../shared/config/env-reader.js';
import { readEventsConfig } from '../../shared/events/event-bus.js';
import { EventTopics } from '../../shared/events/topics.js';

export interface InventoryConfig {
  runtime: RuntimeConfig;
  mongo: MongoConfig;
  kafka: KafkaConfig;
  /** host:port the gRPC server binds (`0.0.0.0:50051` in a container). */
  grpcAddress: string;
  /** Kafka topic of StockChanged events: the `inventory` topic, with KAFKA_TOPIC_PREFIX. */
  stockTopic: string;
  stockTopicPartitions: number;
  defaultTtlSeconds: number;
  pendingTimeoutMs: number;
  sweepIntervalMs: number;
  /** After SIGTERM: how long health reports NOT_SERVING before the listener closes. */
  shutdownDrainMs: number;
  /** After SIGTERM: how long in-flight calls may take before they are cancelled. */
  shutdownGraceMs: number;
}

export function readInventoryConfig(env: EnvReader): InventoryConfig {
  const runtime = readRuntimeConfig(env);
  const local = runtime.nodeEnv !== 'production';
  return {
    runtime,
    mongo: readMongoConfig(env, runtime),
    kafka: readKafkaConfig(env, runtime, 'orderly-inventory'),
    grpcAddress: env.string('INVENTORY_GRPC_ADDR', local ? '127.0.0.1:50051' : undefined),
    stockTopic: env.string(
      'INVENTORY_STOCK_TOPIC',
      new EventTopics(readEventsConfig(env).topicPrefix).of('inventory'),
    ),
    stockTopicPartitions: env.int('INVENTORY_STOCK_TOPIC_PARTITIONS', 6, { min: 1, max: 1000 }),
    defaultTtlSeconds: env.int('INVENTORY_RESERVATION_TTL_SECONDS', 900, { min: 1, max: 604_800 }),
    pendingTimeoutMs: env.int('INVENTORY_PENDING_TIMEOUT_MS', 30_000, { min: 100 }),
    sweepIntervalMs: env.int('INVENTORY_SWEEP_INTERVAL_MS', 1_000, { min: 50 }),
    shutdownDrainMs: env.int('INVENTORY_SHUTDOWN_DRAIN_MS', 500, { min: 0 }),
    shutdownGraceMs: env.int('INVENTORY_SHUTDOWN_GRACE_MS', 10_000, { min: 0 }),
  };
}
