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

/**
 * Bounds of a product in the catalog: its options, their values and its variants (each a SKU
 * of its own), its pictures and collections. The catalog's input validation, the CSV import
 * and the storefront's admin all read them here.
 */
export const CATALOG_LIMITS = {
  /** Options a product may have (Size, Colour, Material). */
  maxOptions: 3,
  /** Values one option may list. */
  maxValuesPerOption: 100,
  /** Variants a product may have; a product without options has exactly one. */
  maxVariants: 100,
  optionNameMaxLength: 32,
  optionValueMaxLength: 64,
  /** Pictures of one product. */
  maxImages: 20,
  /** Bytes of one uploaded picture. */
  imageMaxBytes: 10 * 1024 * 1024,
  /** The longer side of an uploaded picture, in pixels. */
  imageMaxSide: 8_000,
  /** The shorter side, in pixels: below it a picture is not worth showing. */
  imageMinSide: 16,
  altMaxLength: 250,
  /** Collections one product may belong to. */
  maxCollectionsPerProduct: 20,
  collectionTitleMaxLength: 100,
  collectionDescriptionMaxLength: 2_000,
  /** Bytes of one CSV file to import. */
  csvMaxBytes: 50 * 1024 * 1024,
  /** Data rows of one CSV file (one per variant). */
  csvMaxRows: 200_000,
} as const;
