import { readInventoryAddress } from '../../shared/config/config.js';
import type { EnvReader } from '../../shared/config/env-reader.js';
import { readWorkflowTimings } from '../../shared/config/workflow-timings.js';
import { createInventoryClient } from '../../shared/grpc/inventory-client.js';
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
import { sendNow } from '../../shared/outbox/aggregate-store.js';
import { ORDER_INDEXES, OrderAggregate } from '../orders/port.js';
import { OrderSaga } from './order-saga.js';

export interface OrderSagaConfig extends EventFunctionConfig {
  inventoryAddress: string;
  reservationTtlSeconds: number;
}

export function readOrderSagaConfig(env: EnvReader): OrderSagaConfig {
  const base = readEventFunctionConfig(env, 'orderly-order-saga');
  return {
    ...base,
    inventoryAddress: readInventoryAddress(env, base.runtime),
    reservationTtlSeconds: readWorkflowTimings(env).reservationTtlSeconds,
  };
}

/** The order-saga's Lambda handler for the `orders` and `payments` topics. */
export function createOrderSagaHandler(
  config: OrderSagaConfig,
  logger: Logger,
): KafkaLambdaHandler {
  return createKafkaEventHandler({
    name: 'order-saga',
    logger,
    async start() {
      const clients = await connectEventFunctionClients(config, logger, {
        appName: 'orderly-order-saga',
        indexes: ORDER_INDEXES,
      });
      const inventory = createInventoryClient({ address: config.inventoryAddress });
      const saga = new OrderSaga({
        orders: new OrderAggregate(clients.mongo.db, sendNow(clients.bus.publisher)),
        inventory,
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
