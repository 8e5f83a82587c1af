import type { EnvReader } from '../../shared/config/env-reader.js';
import { connectEventFunctionClients } from '../../shared/kafka-lambda/event-function-clients.js';
import {
  createKafkaEventHandler,
  type KafkaLambdaHandler,
} from '../../shared/kafka-lambda/kafka-event-handler.js';
import {
  type EventFunctionConfig,
  readEventFunctionConfig,
} from '../../shared/kafka-lambda/kafka-function-config.js';
import type { Logger } from '../../shared/logger/logger.js';
import { PAYMENT_INDEXES, paymentsCollection } from './payment-store.js';
import { Payments } from './payments.js';
import { TestPaymentProvider } from './test-payment-provider.js';

export interface PaymentsConfig extends EventFunctionConfig {
  provider: 'test';
}

export function readPaymentsConfig(env: EnvReader): PaymentsConfig {
  return {
    ...readEventFunctionConfig(env, 'orderly-payments'),
    // The provider port has one adapter so far; a real provider adds its name here.
    provider: env.oneOf('PAYMENT_PROVIDER', ['test'] as const, 'test'),
  };
}

/** The payments function's Lambda handler for the `inventory` and `orders` topics. */
export function createPaymentsHandler(config: PaymentsConfig, logger: Logger): KafkaLambdaHandler {
  return createKafkaEventHandler({
    name: 'payments',
    logger,
    async start() {
      const clients = await connectEventFunctionClients(config, logger, {
        appName: 'orderly-payments',
        indexes: PAYMENT_INDEXES,
      });
      const payments = new Payments({
        payments: paymentsCollection(clients.mongo.db),
        provider: new TestPaymentProvider(clients.mongo.db),
        publisher: clients.bus.publisher,
      });
      return { producer: clients.bus.producer, payments, close: clients.close };
    },
    handle: (event, context, eventLogger) => context.payments.handle(event, eventLogger),
  });
}
