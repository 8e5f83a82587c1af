import {
  createKafkaEventHandler,
  type KafkaFunctionHandler,
} from '../../shared/kafka-function/kafka-event-handler.js';
import type { Logger } from '../../shared/logger/logger.js';
import { connectWorkflowClients } from '../../shared/workflow-function/workflow-clients.js';
import type { PaymentsConfig } from './config.js';
import { paymentsCollection } from './payment-store.js';
import { PAYMENT_EVENTS, Payments } from './payments.js';
import { TestPaymentProvider } from './test-payment-provider.js';

/** The payments function's Lambda handler for the `inventory` and `orders` topics. */
export function createPaymentsHandler(
  config: PaymentsConfig,
  logger: Logger,
): KafkaFunctionHandler {
  return createKafkaEventHandler({
    name: 'payments',
    logger,
    handles: PAYMENT_EVENTS,
    async start() {
      if (config.testPaymentsDeployed) {
        logger.warn(
          'ALLOW_TEST_PAYMENTS=true: this deployed stage accepts test cards and takes no money',
        );
      }
      const clients = await connectWorkflowClients(config, logger, {
        appName: 'orderly-payments',
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
