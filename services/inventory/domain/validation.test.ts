import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError, ErrorCode } from '../../../shared/errors/catalogue.js';
import { INVENTORY_LIMITS as LIMITS } from '../../../shared/limits/limits.js';
import {
  normaliseLines,
  sameLines,
  validateReservationId,
  validateRestockQuantity,
  validateSku,
  validateSkus,
  validateTtlSeconds,
} from './validation.js';

function badInput(field: string) {
  return (err: unknown) =>
    err instanceof AppError &&
    err.code === ErrorCode.BAD_USER_INPUT &&
    err.details?.field === field;
}

describe('normaliseLines', () => {
  it('sums repeated SKUs and sorts by SKU', () => {
    assert.deepEqual(
      normaliseLines([
        { sku: 'B-1', quantity: 2 },
        { sku: 'A-1', quantity: 1 },
        { sku: 'B-1', quantity: 3 },
      ]),
      [
        { sku: 'A-1', quantity: 1 },
        { sku: 'B-1', quantity: 5 },
      ],
    );
  });

  it('refuses empty, oversized and malformed input, naming the field', () => {
    assert.throws(() => normaliseLines([]), badInput('lines'));
    const many = Array.from({ length: LIMITS.maxLinesPerReservation + 1 }, (_, i) => ({
      sku: `S${i}`,
      quantity: 1,
    }));
    assert.throws(() => normaliseLines(many), badInput('lines'));
    assert.throws(() => normaliseLines([{ sku: 'A', quantity: 0 }]), badInput('lines[0].quantity'));
    assert.throws(
      () => normaliseLines([{ sku: 'A', quantity: -1 }]),
      badInput('lines[0].quantity'),
    );
    assert.throws(
      () => normaliseLines([{ sku: 'A', quantity: 1.5 }]),
      badInput('lines[0].quantity'),
    );
    assert.throws(
      () =>
        normaliseLines([
          { sku: 'A', quantity: LIMITS.maxQuantityPerLine },
          { sku: 'A', quantity: 1 },
        ]),
      badInput('lines[1].quantity'),
    );
    assert.throws(() => normaliseLines([{ sku: '', quantity: 1 }]), badInput('lines[0].sku'));
    assert.throws(
      () => normaliseLines([{ sku: { $ne: '' }, quantity: 1 }]),
      badInput('lines[0].sku'),
      'an operator object is not a SKU',
    );
  });
});

describe('field validation', () => {
  it('checks SKUs', () => {
    assert.equal(validateSku('SKU-1/red.L'), 'SKU-1/red.L');
    assert.throws(() => validateSku('x'.repeat(LIMITS.skuMaxLength + 1)), badInput('sku'));
    assert.throws(() => validateSku('$where'), badInput('sku'));
    assert.throws(() => validateSku('has space'), badInput('sku'));
    assert.throws(() => validateSkus([]), badInput('skus'));
    assert.throws(() => validateSkus(['ok', '']), badInput('skus[1]'));
  });

  it('checks reservation ids, ttl and restock quantities', () => {
    assert.throws(() => validateReservationId(''), badInput('reservation_id'));
    assert.throws(() => validateReservationId('   '), badInput('reservation_id'));
    assert.equal(validateReservationId('order-1'), 'order-1');
    assert.equal(validateTtlSeconds(0, 900), 900);
    assert.equal(validateTtlSeconds(5, 900), 5);
    assert.throws(() => validateTtlSeconds(LIMITS.maxTtlSeconds + 1, 900), badInput('ttl_seconds'));
    assert.equal(validateRestockQuantity(-5), -5);
    assert.throws(() => validateRestockQuantity(0), badInput('quantity'));
    assert.throws(
      () => validateRestockQuantity(LIMITS.maxRestockQuantity + 1),
      badInput('quantity'),
    );
  });

  it('compares line lists', () => {
    assert.equal(sameLines([{ sku: 'A', quantity: 1 }], [{ sku: 'A', quantity: 1 }]), true);
    assert.equal(sameLines([{ sku: 'A', quantity: 1 }], [{ sku: 'A', quantity: 2 }]), false);
    assert.equal(sameLines([{ sku: 'A', quantity: 1 }], []), false);
  });
});
