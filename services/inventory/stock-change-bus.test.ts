import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StockLevel } from './domain/model.js';
import { StockChangeBus } from './stock-change-bus.js';

const level = (sku: string, available: number): StockLevel => ({
  sku,
  available,
  reserved: 0,
  sold: 0,
  version: 1,
});

describe('StockChangeBus', () => {
  it('delivers changes of watched SKUs only, until unsubscribed', () => {
    const bus = new StockChangeBus();
    const seen: string[] = [];
    const stop = bus.subscribe(['A', 'B', 'A'], (l) => seen.push(`${l.sku}:${l.available}`));
    bus.notify(level('A', 1));
    bus.notify(level('C', 2));
    bus.notify(level('B', 3));
    assert.deepEqual(seen, ['A:1', 'B:3']);
    assert.equal(bus.watchedSkus, 2);
    stop();
    bus.notify(level('A', 4));
    assert.deepEqual(seen, ['A:1', 'B:3']);
    assert.equal(bus.watchedSkus, 0);
  });
});
