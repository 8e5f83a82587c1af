import { ErrorCode, isAppError } from '../../shared/errors/catalogue.js';
import type { InventoryClient } from '../../shared/grpc/inventory-client.js';
import type { Logger } from '../../shared/logger/logger.js';
import { type OrderAggregate, orderPlacedEvent } from '../orders/port.js';
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
    private readonly inventory: Pick<InventoryClient, 'release'> | null,
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
        if (await this.release(orderId, log)) pass.released += 1;
      }
    }
    if (pass.requeued + pass.cancelled > 0) this.logger.info(pass, 'repaired stuck orders');
    return pass;
  }

  /** Gives back a hold the cancelled order may have; none, or one already settled, is fine. */
  private async release(orderId: string, logger: Logger): Promise<boolean> {
    if (!this.inventory) return false;
    try {
      await this.inventory.release(orderId);
      logger.info('stock hold of the cancelled order released');
      return true;
    } catch (err) {
      if (
        isAppError(err) &&
        (err.code === ErrorCode.NOT_FOUND || err.code === ErrorCode.INVALID_STATE)
      ) {
        return false;
      }
      // The saga releases it on the OrderCancelled, and inventory expires it in any case.
      logger.warn({ err }, 'could not release the stock hold now; it is released later');
      return false;
    }
  }
}
