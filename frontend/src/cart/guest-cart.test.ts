import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ORDER_LIMITS } from '../../../shared/limits/limits.js';
import { addGuestLine, type GuestLine, mergeCalls, setGuestQuantity } from './guest-cart.js';

const mug = { id: 'p1', slug: 'mug', name: 'Mug', priceCents: 1200, currency: 'EUR' };
const linesOf = (change: ReturnType<typeof addGuestLine>): GuestLine[] => {
  if ('error' in change) assert.fail(change.error);
  return change.lines;
};

describe('guest cart', () => {
  it('adds a line, then adds to it', () => {
    const one = linesOf(addGuestLine([], 'MUG', mug, 2));
    const two = linesOf(addGuestLine(one, 'MUG', mug, 3));
    assert.deepEqual(
      two.map((line) => [line.sku, line.quantity]),
      [['MUG', 5]],
    );
  });

  it('refuses what the server cart would refuse, naming the limit', () => {
    assert.match(
      (addGuestLine([], 'MUG', mug, ORDER_LIMITS.maxQuantityPerAdd + 1) as { error: string }).error,
      /between 1 and 100/,
    );
    assert.ok('error' in addGuestLine([], 'MUG', mug, 0));
    const full = Array.from({ length: ORDER_LIMITS.maxLines }, (_, i) => ({
      sku: `SKU-${i}`,
      quantity: 1,
      product: mug,
    }));
    assert.match((addGuestLine(full, 'ONE-MORE', mug, 1) as { error: string }).error, /50/);
    // A product already in a full cart can still get more units.
    assert.equal(linesOf(addGuestLine(full, 'SKU-3', mug, 1))[3]?.quantity, 2);
    const nearlyFull = [{ sku: 'MUG', quantity: ORDER_LIMITS.maxQuantityPerLine, product: mug }];
    assert.match((addGuestLine(nearlyFull, 'MUG', mug, 1) as { error: string }).error, /1000/);
  });

  it('sets a quantity, and 0 removes the line', () => {
    const lines = linesOf(addGuestLine([], 'MUG', mug, 2));
    assert.equal(linesOf(setGuestQuantity(lines, 'MUG', 7))[0]?.quantity, 7);
    assert.deepEqual(linesOf(setGuestQuantity(lines, 'MUG', 0)), []);
    assert.ok('error' in setGuestQuantity(lines, 'MUG', -1));
  });

  it('merges a line in calls of at most maxQuantityPerAdd units', () => {
    assert.deepEqual(
      mergeCalls({ sku: 'MUG', quantity: 250, product: mug }).map((call) => call.quantity),
      [100, 100, 50],
    );
  });
});
