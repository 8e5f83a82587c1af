import type { Db } from 'mongodb';
import { type CartLine, CartStore } from './cart-store.js';

/**
 * What the carts module offers the rest of the platform; nothing else in functions/carts/ is
 * imported from outside it. Checkout reads a cart and empties it once its order is stored.
 */
export type { CartLine };

export interface CheckoutCart {
  lines(userId: string): Promise<CartLine[]>;
  /** Empties the cart after its order was placed. */
  clear(userId: string): Promise<void>;
}

export function checkoutCart(db: Db): CheckoutCart {
  const carts = new CartStore(db);
  return { lines: (userId) => carts.lines(userId), clear: (userId) => carts.clear(userId) };
}
