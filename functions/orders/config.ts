import { type KafkaConfig, readKafkaConfig } from '../../shared/config/config.js';
import type { EnvReader } from '../../shared/config/env-reader.js';
import { type EventsConfig, readEventsConfig } from '../../shared/events/event-bus.js';
import {
  type HttpFunctionConfig,
  readHttpFunctionConfig,
} from '../../shared/http/function-config.js';
import { type PaymentsConfig, readPaymentsConfig } from '../payments/port.js';

export interface OrdersConfig extends HttpFunctionConfig {
  /** Checkout publishes its OrderPlaced right after the write (the relay covers a failure). */
  kafka: KafkaConfig;
  events: EventsConfig;
  /** Checkout hands the card token to the payment provider, which opens the payment. */
  payments: PaymentsConfig;
}

/** The orders function's configuration: runtime, database, token checks, Kafka, topics, provider. */
export function readOrdersConfig(env: EnvReader): OrdersConfig {
  const base = readHttpFunctionConfig(env);
  return {
    ...base,
    kafka: readKafkaConfig(env, base.runtime, 'orderly-orders'),
    events: readEventsConfig(env),
    payments: readPaymentsConfig(env, base.runtime),
  };
}
