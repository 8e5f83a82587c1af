import type { EnvReader } from '../../shared/config/env-reader.js';
import { createInventoryClient } from '../../shared/grpc/inventory-client.js';
import { connectEventFunctionClients } from '../../shared/kafka-lambda/event-function-clients.js';
import {
  type EventFunctionConfig,
  readEventFunctionConfig,
  readInventoryAddress,
} from '../../shared/kafka-lambda/kafka-function-config.js';
import { lazyResource } from '../../shared/lambda/lazy-resource.js';
import type { Logger } from '../../shared/logger/logger.js';
import { sendOrLeave } from '../../shared/outbox/aggregate-store.js';
import { ORDER_INDEXES, OrderAggregate } from '../orders/port.js';
import { OrderRepair, type RepairPass } from './order-repair.js';
import { ReservationExpiry } from './reservation-expiry.js';
import { readWorkflowTimings } from './workflow-timings.js';

export interface OrderSweepsConfig extends EventFunctionConfig {
  inventoryAddress: string;
  /** How long an order may stay PENDING before the repair sweep acts on it (s). */
  repairAfterSeconds: number;
}

export function readOrderSweepsConfig(env: EnvReader): OrderSweepsConfig {
  const base = readEventFunctionConfig(env, 'orderly-reservation-expiry');
  return {
    ...base,
    inventoryAddress: readInventoryAddress(env, base.runtime),
    repairAfterSeconds: readWorkflowTimings(env).repairAfterSeconds,
  };
}

/**
 * The scheduled Lambda handler of the two order sweeps: it cancels orders whose reservation
 * ran out, and repairs orders stuck in PENDING.
 */
export function createReservationExpiryHandler(config: OrderSweepsConfig, logger: Logger) {
  const start = async () => {
    const clients = await connectEventFunctionClients(config, logger, {
      appName: 'orderly-reservation-expiry',
      indexes: ORDER_INDEXES,
    });
    const inventory = createInventoryClient({ address: config.inventoryAddress });
    const orders = new OrderAggregate(clients.mongo.db, sendOrLeave(clients.bus.publisher));
    const expiry = new ReservationExpiry(orders, logger);
    const repair = new OrderRepair(orders, inventory, logger, {
      stuckAfterMs: config.repairAfterSeconds * 1000,
    });
    return {
      expiry,
      repair,
      async close() {
        inventory.close();
        await clients.close();
      },
    };
  };
  const running = lazyResource(start, (started) => started.close());
  const handler = async (): Promise<{ cancelled: number; repair: RepairPass }> => {
    const { expiry, repair } = await running.get();
    return { cancelled: await expiry.runOnce(), repair: await repair.runOnce() };
  };
  handler.close = () => running.close();
  return handler;
}
