import { ORDER_LIMITS } from '../../../shared/limits/order-limits.js';

export { SKU_PATTERN } from '../../../shared/limits/order-limits.js';

/**
 * Input bounds of the inventory API; anything outside them is INVALID_ARGUMENT. A reservation
 * takes every order the shop accepts (shared/limits), and restocks and lookups go further.
 */
export const LIMITS = {
  skuMaxLength: ORDER_LIMITS.skuMaxLength,
  reservationIdMaxLength: 128,
  maxLinesPerReservation: ORDER_LIMITS.maxLines,
  maxQuantityPerLine: 10_000,
  maxSkusPerRequest: 200,
  maxRestockQuantity: 1_000_000_000,
  maxTtlSeconds: 7 * 24 * 3600,
} as const;
