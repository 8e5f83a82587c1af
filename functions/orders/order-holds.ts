import type { InventoryClient } from '../../shared/grpc/inventory-client.js';
import type { OrderDoc } from './order-document.js';
import { stockLinesOf } from './order-document.js';

/** The inventory calls that end an order's holds. */
export type HoldEnds = Pick<InventoryClient, 'commitHeld' | 'releaseHeld' | 'returnSold'>;

/** What ending a final order's holds did to its stock. */
export type HoldsEnded = 'COMMITTED' | 'RETURNED' | 'RELEASED' | null;

/**
 * Brings a final order's stock in line with what the order decided, the same way whoever asks
 * and however often: a CONFIRMED order's holds are made sold; a CANCELLED order that had been
 * CONFIRMED has them made sold (a commit a crash left undone) and then returned, once per SKU;
 * any other CANCELLED order's holds are released (null when none were left). Only for orders
 * whose stock is held as holds (`holdsItsStock`).
 */
export async function endHolds(
  order: Pick<OrderDoc, '_id' | 'status' | 'history' | 'items'>,
  inventory: HoldEnds,
): Promise<HoldsEnded> {
  const orderId = order._id.toHexString();
  const lines = stockLinesOf(order);
  const confirmed = order.history.some((change) => change.status === 'CONFIRMED');
  if (order.status === 'CONFIRMED') {
    await inventory.commitHeld(orderId, lines);
    return 'COMMITTED';
  }
  if (order.status !== 'CANCELLED') {
    throw new Error(`order ${orderId} is ${order.status}: only a final order's holds are ended`);
  }
  if (confirmed) {
    await inventory.commitHeld(orderId, lines);
    await inventory.returnSold(orderId, lines);
    return 'RETURNED';
  }
  const released = await inventory.releaseHeld(orderId, lines);
  return released.length > 0 ? 'RELEASED' : null;
}
