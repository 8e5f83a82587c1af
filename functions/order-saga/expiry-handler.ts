import { connectEventFunctionClients } from '../../shared/kafka-lambda/event-function-clients.js';
import type { EventFunctionConfig } from '../../shared/kafka-lambda/kafka-function-config.js';
import { lazyResource } from '../../shared/lambda/lazy-resource.js';
import type { Logger } from '../../shared/logger/logger.js';
import { ORDER_INDEXES } from '../orders/order-document.js';
import { ReservationExpiry } from './reservation-expiry.js';
import { SagaStore } from './saga-store.js';

/** The scheduled Lambda handler that cancels orders whose reservation ran out. */
export function createReservationExpiryHandler(config: EventFunctionConfig, logger: Logger) {
  const start = async () => {
    const clients = await connectEventFunctionClients(config, logger, {
      appName: 'orderly-reservation-expiry',
      indexes: ORDER_INDEXES,
    });
    const expiry = new ReservationExpiry(
      new SagaStore(clients.mongo.db),
      clients.bus.publisher,
      logger,
    );
    return { expiry, close: clients.close };
  };
  const running = lazyResource(start, (started) => started.close());
  const handler = async (): Promise<{ cancelled: number }> => ({
    cancelled: await (await running.get()).expiry.runOnce(),
  });
  handler.close = () => running.close();
  return handler;
}
