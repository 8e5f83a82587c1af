import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type KeyStore, purchaseKey, purchasePlaced } from './purchase-key.js';

function memoryStore(): KeyStore {
  const values = new Map<string, { fingerprint: string; key: string }>();
  return {
    read: (name) => values.get(name),
    write: (name, value) => values.set(name, value),
    remove: (name) => values.delete(name),
  };
}

let counter = 0;
const newKey = () => `key-${++counter}`;
const cart = [
  { sku: 'MUG', quantity: 2 },
  { sku: 'PEN', quantity: 1 },
];

describe('purchase key', () => {
  it('is the same for the same cart until the order is placed, in any line order', () => {
    const store = memoryStore();
    const first = purchaseKey(store, 'u1', cart, newKey);
    assert.equal(purchaseKey(store, 'u1', [...cart].reverse(), newKey), first);
    purchasePlaced(store, 'u1');
    assert.notEqual(purchaseKey(store, 'u1', cart, newKey), first);
  });

  it('is new for a changed cart, and per account', () => {
    const store = memoryStore();
    const first = purchaseKey(store, 'u1', cart, newKey);
    assert.notEqual(purchaseKey(store, 'u1', [{ sku: 'MUG', quantity: 3 }], newKey), first);
    assert.notEqual(purchaseKey(store, 'u2', cart, newKey), purchaseKey(store, 'u1', cart, newKey));
  });
});
