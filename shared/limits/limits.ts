/**
 * Every bound that more than one part must agree on, in one module: the cart, checkout, the
 * event schemas, the catalog's product input, inventory's API and the storefront import it.
 *
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
  paymentTokenMaxLength: 100,
} as const;

/** SKUs are printable identifiers: letters, digits and `-_.:/`. */
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9\-_.:/]*$/;

/**
 * Input bounds of the inventory API; anything outside them is INVALID_ARGUMENT. A reservation
 * takes every order the shop accepts (ORDER_LIMITS), and restocks and lookups go further.
 */
export const INVENTORY_LIMITS = {
  skuMaxLength: ORDER_LIMITS.skuMaxLength,
  reservationIdMaxLength: 128,
  maxLinesPerReservation: ORDER_LIMITS.maxLines,
  /** Units of one SKU in a reservation: above an order line's cap, so every order fits. */
  maxQuantityPerLine: 10_000,
  maxSkusPerRequest: 200,
  maxRestockQuantity: 1_000_000_000,
  maxTtlSeconds: 7 * 24 * 3600,
} as const;
