import type { InventoryClient } from '../../shared/grpc/inventory-client.js';
import type { Logger } from '../../shared/logger/logger.js';
import {
  type OrderAggregate,
  type OrderDoc,
  orderPlacedEvent,
  stockLinesOf,
} from '../orders/port.js';
import { decideRepair, type RepairBounds } from './repair-rules.js';

export interface RepairPass {
  /** Stuck orders looked at. */
  examined: number;
  requeued: number;
  cancelled: number;
  /** Stock holds given back by the sweep itself (the saga would too, if it is working). */
  released: number;
}

export interface OrderRepairOptions extends Partial<RepairBounds> {
  batchSize?: number;
}

/**
 * Drives every order that has been PENDING longer than a bound to a final state, from the
 * facts (repair-rules.ts): an OrderPlaced that went out but was never applied (its record
 * used its retries and went to the dead-letter topic, say) is put out once more; an order
 * still PENDING after that, or whose events cannot be published, is cancelled as
 * PROCESSING_FAILED, and its stock hold, if any, released. RESERVED orders are bounded by
 * their reservation: the expiry sweep cancels them when it runs out. Every decision is
 * logged with the order id and counted.
 */
export class OrderRepair {
  private readonly bounds: RepairBounds;
  private readonly batchSize: number;
  private readonly logger: Logger;

  constructor(
    private readonly orders: OrderAggregate,
    private readonly inventory: Pick<InventoryClient, 'releaseHeld'> | null,
    logger: Logger,
    options: OrderRepairOptions = {},
  ) {
    this.bounds = { stuckAfterMs: options.stuckAfterMs ?? 300_000 };
    this.batchSize = options.batchSize ?? 100;
    this.logger = logger.child({ component: 'order-repair' });
  }

  async runOnce(now = new Date()): Promise<RepairPass> {
    const pass: RepairPass = { examined: 0, requeued: 0, cancelled: 0, released: 0 };
    const stuck = await this.orders.stuckPending(
      new Date(now.getTime() - this.bounds.stuckAfterMs),
      this.batchSize,
    );
    for (const order of stuck) {
      pass.examined += 1;
      const orderId = order._id.toHexString();
      const decision = decideRepair(order, now, this.bounds);
      const log = this.logger.child({ orderId, decision: decision.action, why: decision.why });
      if (decision.action === 'REQUEUE') {
        const requeued = await this.orders.requeue(order, orderPlacedEvent(order), now);
        if (!requeued) continue; // it moved meanwhile
        log.warn('stuck order: its OrderPlaced is published again');
        pass.requeued += 1;
      } else if (decision.action === 'CANCEL') {
        const cause = { id: `repair:${orderId}`, correlationId: orderId };
        const moved = await this.orders.transition(order, 'ProcessingFailed', {
          appliedId: cause.id,
          causedBy: cause,
          source: 'order-saga',
          now,
        });
        if (!moved) continue;
        log.error('stuck order cancelled as PROCESSING_FAILED');
        pass.cancelled += 1;
        if (await this.release(order, log)) pass.released += 1;
      }
    }
    if (pass.requeued + pass.cancelled > 0) this.logger.info(pass, 'repaired stuck orders');
    return pass;
  }

  /** Gives back the holds the cancelled order may have; none, or none left, is fine. */
  private async release(order: OrderDoc, logger: Logger): Promise<boolean> {
    if (!this.inventory) return false;
    try {
      const released = await this.inventory.releaseHeld(
        order._id.toHexString(),
        stockLinesOf(order),
      );
      if (released.length === 0) return false;
      logger.info({ released }, 'stock held by the cancelled order released');
      return true;
    } catch (err) {
      // The saga releases them on the OrderCancelled this cancel emitted.
      logger.warn({ err }, 'could not release the stock held now; it is released later');
      return false;
    }
  }
}
