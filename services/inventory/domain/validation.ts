import { badUserInput } from '../../../shared/errors/catalogue.js';
import { INVENTORY_LIMITS as LIMITS, SKU_PATTERN } from '../../../shared/limits/limits.js';

/** One SKU and a positive quantity of it. */
export interface StockLine {
  sku: string;
  quantity: number;
}

export function validateSku(sku: unknown, field = 'sku'): string {
  if (typeof sku !== 'string' || sku.length === 0) {
    throw badUserInput(`${field} is required`, { field });
  }
  if (sku.length > LIMITS.skuMaxLength) {
    throw badUserInput(`${field} is longer than ${LIMITS.skuMaxLength} characters`, { field });
  }
  if (!SKU_PATTERN.test(sku)) {
    throw badUserInput(`${field} "${sku}" has characters other than letters, digits and -_.:/`, {
      field,
    });
  }
  return sku;
}

export function validateSkus(skus: readonly unknown[]): string[] {
  if (skus.length === 0) throw badUserInput('skus must name at least one SKU', { field: 'skus' });
  if (skus.length > LIMITS.maxSkusPerRequest) {
    throw badUserInput(`at most ${LIMITS.maxSkusPerRequest} SKUs per request`, { field: 'skus' });
  }
  return skus.map((sku, i) => validateSku(sku, `skus[${i}]`));
}

export function validateReservationId(id: unknown, field = 'reservation_id'): string {
  if (typeof id !== 'string' || id.trim().length === 0) {
    throw badUserInput(`${field} is required`, { field });
  }
  if (id.length > LIMITS.reservationIdMaxLength) {
    throw badUserInput(`${field} is longer than ${LIMITS.reservationIdMaxLength} characters`, {
      field,
    });
  }
  return id;
}

/**
 * Validates the lines of a reservation and merges them: one line per SKU with the
 * quantities of repeated SKUs summed, sorted by SKU so every reservation takes its holds
 * in the same order.
 */
export function normaliseLines(
  lines: readonly { sku?: unknown; quantity?: unknown }[],
): StockLine[] {
  if (lines.length === 0)
    throw badUserInput('lines must hold at least one line', { field: 'lines' });
  if (lines.length > LIMITS.maxLinesPerReservation) {
    throw badUserInput(`at most ${LIMITS.maxLinesPerReservation} lines per reservation`, {
      field: 'lines',
    });
  }
  const merged = new Map<string, number>();
  lines.forEach((line, i) => {
    const sku = validateSku(line.sku, `lines[${i}].sku`);
    const quantity = line.quantity;
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity <= 0) {
      throw badUserInput(`lines[${i}].quantity must be a positive integer`, {
        field: `lines[${i}].quantity`,
      });
    }
    const total = (merged.get(sku) ?? 0) + quantity;
    if (total > LIMITS.maxQuantityPerLine) {
      throw badUserInput(`quantity of ${sku} exceeds ${LIMITS.maxQuantityPerLine}`, {
        field: `lines[${i}].quantity`,
      });
    }
    merged.set(sku, total);
  });
  return [...merged.entries()]
    .map(([sku, quantity]) => ({ sku, quantity }))
    .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
}

/** True when two normalised line lists hold the same quantities of the same SKUs. */
export function sameLines(a: readonly StockLine[], b: readonly StockLine[]): boolean {
  return (
    a.length === b.length &&
    a.every((line, i) => line.sku === b[i]?.sku && line.quantity === b[i]?.quantity)
  );
}

export function validateTtlSeconds(ttl: unknown, fallback: number): number {
  if (ttl === undefined || ttl === null || ttl === 0) return fallback;
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0 || ttl > LIMITS.maxTtlSeconds) {
    throw badUserInput(`ttl_seconds must be between 1 and ${LIMITS.maxTtlSeconds}`, {
      field: 'ttl_seconds',
    });
  }
  return ttl;
}

/** First stock of SKUs: each SKU once, a quantity from 0 up. */
export function validateInitLines(
  lines: readonly { sku?: unknown; quantity?: unknown }[],
): StockLine[] {
  if (lines.length === 0)
    throw badUserInput('lines must hold at least one line', { field: 'lines' });
  if (lines.length > LIMITS.maxSkusPerRequest) {
    throw badUserInput(`at most ${LIMITS.maxSkusPerRequest} lines per request`, { field: 'lines' });
  }
  const seen = new Set<string>();
  return lines.map((line, i) => {
    const sku = validateSku(line.sku, `lines[${i}].sku`);
    if (seen.has(sku)) throw badUserInput(`${sku} is named twice`, { field: `lines[${i}].sku` });
    seen.add(sku);
    const quantity = line.quantity;
    if (
      typeof quantity !== 'number' ||
      !Number.isInteger(quantity) ||
      quantity < 0 ||
      quantity > LIMITS.maxRestockQuantity
    ) {
      throw badUserInput(
        `lines[${i}].quantity must be an integer from 0 to ${LIMITS.maxRestockQuantity}`,
        { field: `lines[${i}].quantity` },
      );
    }
    return { sku, quantity };
  });
}

export function validateRestockQuantity(quantity: unknown): number {
  if (
    typeof quantity !== 'number' ||
    !Number.isInteger(quantity) ||
    quantity === 0 ||
    Math.abs(quantity) > LIMITS.maxRestockQuantity
  ) {
    throw badUserInput(
      `quantity must be a non-zero integer of at most ${LIMITS.maxRestockQuantity} either way`,
      { field: 'quantity' },
    );
  }
  return quantity;
}

/** SKUs per page of ListHolds: 1 to 500, 0 or absent for 100. */
export function validateListLimit(limit: unknown): number {
  if (limit === undefined || limit === 0) return 100;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw badUserInput('limit must be an integer from 1 to 500', { field: 'limit' });
  }
  return limit;
}
