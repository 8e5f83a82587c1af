/**
 * The bounds an order must fit, from the cart to the stock reservation. The cart refuses what
 * the order could not hold, checkout refuses what its events could not carry, and inventory
 * accepts every reservation an order can ask for: one home, so they cannot disagree.
 */
export const ORDER_LIMITS = {
  /** Distinct products in a cart, lines of an order, lines of its stock reservation. */
  maxLines: 50,
  /** Units of one product a cart line (and so an order line) may hold. */
  maxQuantityPerLine: 1_000,
  /** Units one "add to cart" may add. */
  maxQuantityPerAdd: 100,
  skuMaxLength: 64,
  productNameMaxLength: 200,
  paymentTokenMaxLength: 200,
} as const;

/** SKUs are printable identifiers: letters, digits and `-_.:/`. */
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9\-_.:/]*$/;
