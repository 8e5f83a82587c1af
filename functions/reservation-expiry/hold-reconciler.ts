import type { InventoryClient } from '../../shared/grpc/inventory-client.js';
import type { Logger } from '../../shared/logger/logger.js';
import { endHolds, holdsItsStock, type OrderAggregate, orderPlacedEvent } from '../orders/port.js';

export interface HoldReconcilerOptions {
  /** How long after its last change a final order's holds are left to its own steps (ms). */
  graceMs?: number;
  /** SKUs per page of inventory's ListHolds. */
  pageSize?: number;
}

export interface ReconcilePass {
  /** Orders holding stock that were looked at. */
  examined: number;
  /** Final orders whose holds were still there, now ended as the order decided. */
  ended: number;
}

/**
 * The backstop of the order-first stock (see order-saga.ts): every hold is ended by the order
 * that took it, through its saga step or its cancel's compensation. When that record went to the
 * dead-letter topic instead (its retries used while inventory was away, say), the order is final
 * but its holds stay: neither sold nor available. This sweep lists inventory's holds, finds the
 * orders holding them, and ends the holds of orders that have been final for a while, exactly as
 * the saga would (`endHolds`, safe to repeat; a confirmed order's OrderConfirmed sent again
 * first). Holds of open orders are their steps' and the
 * other sweeps'. Holds of ids that are no order's (another client's) and of orders held by a
 * reservation of inventory's own are not this sweep's: a reservation's are ended by inventory's
 * own sweeper, another client's by that client.
 */
export class HoldReconciler {
  private readonly graceMs: number;
  private readonly pageSize: number;
  private readonly logger: Logger;

  constructor(
    private readonly orders: OrderAggregate,
    private readonly inventory: Pick<
      InventoryClient,
      'listHolds' | 'commitHeld' | 'releaseHeld' | 'returnSold'
    >,
    logger: Logger,
    options: HoldReconcilerOptions = {},
  ) {
    this.graceMs = options.graceMs ?? 5 * 60_000;
    this.pageSize = options.pageSize ?? 100;
    this.logger = logger.child({ component: 'hold-reconciler' });
  }

  async runOnce(now = new Date()): Promise<ReconcilePass> {
    const pass: ReconcilePass = { examined: 0, ended: 0 };
    const ids = new Set<string>();
    for (let after = ''; ; ) {
      const page = await this.inventory.listHolds(after, this.pageSize);
      for (const { holdIds } of page) for (const id of holdIds) ids.add(id);
      if (page.length < this.pageSize) break;
      after = page[page.length - 1]?.sku ?? after;
    }
    const settledBefore = now.getTime() - this.graceMs;
    // Loaded side by side: the order reads of one moment go out as one find.
    const orders = await Promise.all([...ids].map((id) => this.orders.load(id)));
    for (const order of orders) {
      if (!order || !holdsItsStock(order)) continue;
      pass.examined += 1;
      if (order.status !== 'CONFIRMED' && order.status !== 'CANCELLED') continue;
      if (order.updatedAt.getTime() > settledBefore) continue;
      const orderId = order._id.toHexString();
      try {
        // A confirmed order still holding may not have had its OrderConfirmed sent (the saga
        // announces it, storing nothing, before the commit): it goes out again first, built as
        // the saga built it.
        if (order.status === 'CONFIRMED') {
          await this.orders.announceAgain(order, 'PaymentAuthorized', {
            causedBy: orderPlacedEvent(order),
            source: 'order-saga',
          });
        }
        const ended = await endHolds(order, this.inventory);
        pass.ended += 1;
        this.logger.warn(
          { orderId, status: order.status, ended },
          "a final order's holds were still there: ended as the order decided",
        );
      } catch (err) {
        // One order's failure is its own: the others are ended, and it is tried next pass.
        this.logger.warn({ err, orderId }, "could not end a final order's holds; retried later");
      }
    }
    return pass;
  }
}
