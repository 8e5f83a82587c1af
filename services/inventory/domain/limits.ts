/** Input bounds of the inventory API; anything outside them is INVALID_ARGUMENT. */
export const LIMITS = {
  skuMaxLength: 64,
  reservationIdMaxLength: 128,
  maxLinesPerReservation: 50,
  maxQuantityPerLine: 10_000,
  maxSkusPerRequest: 200,
  maxRestockQuantity: 1_000_000_000,
  maxTtlSeconds: 7 * 24 * 3600,
} as const;

/** SKUs are printable identifiers: letters, digits and `-_.:/`. */
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9\-_.:/]*$/;
