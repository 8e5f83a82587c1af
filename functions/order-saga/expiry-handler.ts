import { connectEventFunctionClients } from '../../shared/kafka-lambda/event-function-clients.js';
import type { EventFunctionConfig } from '../../shared/kafka-lambda/kafka-function-config.js';
import type { Logger } from '../../shared/logger/logger.js';
import { ORDER_INDEXES } from '../orders/order-document.js';
import { ReservationExpiry } from './reservation-expiry.js';
import { SagaStore } from './saga-store.js';

/** The scheduled Lambda handler that cancels orders whose reservation ran out. */
export function createReservationExpiryHandler(config: EventFunctionConfig, logger: Logger) {
  let running: Promise<{ expiry: ReservationExpiry; close(): Promise<void> }> | undefined;
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
  const handler = async (): Promise<{ cancelled: number }> => {
    running ??= start().catch((err: unknown) => {
      running = undefined;
      throw err;
    });
    return { cancelled: await (await running).expiry.runOnce() };
  };
  handler.close = async () => {
    const current = running;
    running = undefined;
    if (current) await (await current.catch(() => undefined))?.close();
  };
  return handler;
}
