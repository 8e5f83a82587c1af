import type { Db } from 'mongodb';
import { createInventoryClient, type InventoryClient } from '../../shared/grpc/inventory-client.js';
import { lazyResource } from '../../shared/lambda/lazy-resource.js';
import type { Logger } from '../../shared/logger/logger.js';
import { sendOrLeave } from '../../shared/outbox/aggregate-store.js';
import type { OutboxPublisher } from '../../shared/outbox/outbox-publisher.js';
import { connectWorkflowClients } from '../../shared/workflow-function/workflow-clients.js';
import { OrderAggregate } from '../orders/port.js';
import type { OrderSweepsConfig } from './config.js';
import { HoldReconciler, type ReconcilePass } from './hold-reconciler.js';
import { OrderRepair, type RepairPass } from './order-repair.js';
import { ReservationExpiry } from './reservation-expiry.js';

export type { HoldReconciler, ReconcilePass } from './hold-reconciler.js';
export type { OrderRepair, RepairPass } from './order-repair.js';
export type { ReservationExpiry } from './reservation-expiry.js';

export interface OrderSweeps {
  expiry: ReservationExpiry;
  repair: OrderRepair;
  /** Ends the holds of final orders whose own steps did not (null without inventory). */
  holds: HoldReconciler | null;
}

/**
 * The order sweeps on clients the caller owns: the Lambda handler below, and the local
 * platform's background loop.
 */
export function createOrderSweeps(
  db: Db,
  publisher: OutboxPublisher,
  inventory: Pick<
    InventoryClient,
    'releaseHeld' | 'listHolds' | 'commitHeld' | 'returnSold'
  > | null,
  logger: Logger,
  options: { repairAfterSeconds: number },
): OrderSweeps {
  const orders = new OrderAggregate(db, sendOrLeave(publisher));
  return {
    expiry: new ReservationExpiry(orders, logger),
    repair: new OrderRepair(orders, inventory, logger, {
      stuckAfterMs: options.repairAfterSeconds * 1000,
    }),
    holds: inventory ? new HoldReconciler(orders, inventory, logger) : null,
  };
}

/**
 * The scheduled Lambda handler of the order sweeps: it cancels orders whose payment deadline
 * passed, repairs orders stuck in PENDING, and ends the holds final orders left.
 */
export function createReservationExpiryHandler(config: OrderSweepsConfig, logger: Logger) {
  const start = async () => {
    const clients = await connectWorkflowClients(config, logger, {
      appName: 'orderly-reservation-expiry',
    });
    const inventory = createInventoryClient({ address: config.inventoryAddress });
    const sweeps = createOrderSweeps(clients.mongo.db, clients.bus.publisher, inventory, logger, {
      repairAfterSeconds: config.repairAfterSeconds,
    });
    return {
      ...sweeps,
      async close() {
        inventory.close();
        await clients.close();
      },
    };
  };
  const running = lazyResource(start, (started) => started.close());
  const handler = async (): Promise<{
    cancelled: number;
    repair: RepairPass;
    holds: ReconcilePass | null;
  }> => {
    const { expiry, repair, holds } = await running.get();
    return {
      cancelled: await expiry.runOnce(),
      repair: await repair.runOnce(),
      holds: holds ? await holds.runOnce() : null,
    };
  };
  handler.close = () => running.close();
  return handler;
}
