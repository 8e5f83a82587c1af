import { ORDER_LIMITS } from '../../../shared/limits/limits.js';

/**
 * The cart of a shopper who has not signed in, kept in this browser: the lines and what was
 * known of each product when it was added. At login its lines are added to the account's
 * cart (the server's), which then prices them afresh. The same limits as the server's cart.
 */
export interface ProductSnapshot {
  id: string;
  slug: string;
  name: string;
  /** The variant's title ('M / Blue'); absent or 'Default' for a product without options. */
  variantTitle?: string;
  priceCents: number;
  currency: string;
}

/** How a line is named: the product, and its variant when it has options. */
export function lineName(product: Pick<ProductSnapshot, 'name' | 'variantTitle'>): string {
  const title = product.variantTitle;
  return title && title !== 'Default' ? `${product.name} (${title})` : product.name;
}

export interface GuestLine {
  sku: string;
  quantity: number;
  product: ProductSnapshot;
}

export type CartChange = { lines: GuestLine[] } | { error: string };

export function addGuestLine(
  lines: readonly GuestLine[],
  sku: string,
  product: ProductSnapshot,
  quantity: number,
): CartChange {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > ORDER_LIMITS.maxQuantityPerAdd) {
    return { error: `Add between 1 and ${ORDER_LIMITS.maxQuantityPerAdd} at a time` };
  }
  const existing = lines.find((line) => line.sku === sku);
  if (!existing) {
    if (lines.length >= ORDER_LIMITS.maxLines) {
      return { error: `A cart holds at most ${ORDER_LIMITS.maxLines} different products` };
    }
    return { lines: [...lines, { sku, quantity, product }] };
  }
  if (existing.quantity + quantity > ORDER_LIMITS.maxQuantityPerLine) {
    return { error: `A cart line holds at most ${ORDER_LIMITS.maxQuantityPerLine} units` };
  }
  return {
    lines: lines.map((line) =>
      line.sku === sku ? { ...line, quantity: line.quantity + quantity, product } : line,
    ),
  };
}

/** Sets a line's quantity; 0 removes it. */
export function setGuestQuantity(
  lines: readonly GuestLine[],
  sku: string,
  quantity: number,
): CartChange {
  if (!Number.isInteger(quantity) || quantity < 0 || quantity > ORDER_LIMITS.maxQuantityPerLine) {
    return { error: `A quantity is between 0 and ${ORDER_LIMITS.maxQuantityPerLine}` };
  }
  if (quantity === 0) return { lines: lines.filter((line) => line.sku !== sku) };
  return {
    lines: lines.map((line) => (line.sku === sku ? { ...line, quantity } : line)),
  };
}

/**
 * The `addToCart` calls that put a guest line into an account's cart: one per
 * `maxQuantityPerAdd` units, since one call may add no more.
 */
export function mergeCalls(line: GuestLine): { sku: string; quantity: number }[] {
  const calls: { sku: string; quantity: number }[] = [];
  for (let left = line.quantity; left > 0; left -= ORDER_LIMITS.maxQuantityPerAdd) {
    calls.push({ sku: line.sku, quantity: Math.min(left, ORDER_LIMITS.maxQuantityPerAdd) });
  }
  return calls;
}
