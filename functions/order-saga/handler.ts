import { createInventoryClient } from '../../shared/grpc/inventory-client.js';
import {
  createKafkaEventHandler,
  type KafkaFunctionHandler,
} from '../../shared/kafka-function/kafka-event-handler.js';
import type { Logger } from '../../shared/logger/logger.js';
import { sendNow } from '../../shared/outbox/aggregate-store.js';
import { connectWorkflowClients } from '../../shared/workflow-function/workflow-clients.js';
import { OrderAggregate } from '../orders/port.js';
import { createPaymentProvider } from '../payments/port.js';
import type { OrderSagaConfig } from './config.js';
import { OrderSaga, SAGA_EVENTS } from './order-saga.js';

/** The order-saga's Lambda handler for the `orders` topic. */
export function createOrderSagaHandler(
  config: OrderSagaConfig,
  logger: Logger,
): KafkaFunctionHandler {
  return createKafkaEventHandler({
    name: 'order-saga',
    logger,
    handles: SAGA_EVENTS,
    async start() {
      const clients = await connectWorkflowClients(config, logger, {
        appName: 'orderly-order-saga',
      });
      const inventory = createInventoryClient({ address: config.inventoryAddress });
      const saga = new OrderSaga({
        orders: new OrderAggregate(clients.mongo.db, sendNow(clients.bus.publisher)),
        inventory,
        payments: createPaymentProvider(config.payments, clients.mongo.db, logger),
        reservationTtlSeconds: config.reservationTtlSeconds,
      });
      return {
        producer: clients.bus.producer,
        saga,
        async close() {
          inventory.close();
          await clients.close();
        },
      };
    },
    handle: (event, context, eventLogger) => context.saga.handle(event, eventLogger),
  });
}
