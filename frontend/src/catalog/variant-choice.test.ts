import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { choiceOf, initialVariant, valueState, variantFor } from './variant-choice.js';

const variant = (sku: string, size: string, colour: string) => ({
  sku,
  options: [
    { name: 'Size', value: size },
    { name: 'Colour', value: colour },
  ],
});

/** S and M in Blue, M in Black; no S in Black. */
const VARIANTS = [
  variant('S-BLUE', 'S', 'Blue'),
  variant('M-BLUE', 'M', 'Blue'),
  variant('M-BLACK', 'M', 'Black'),
];
const NAMES = ['Size', 'Colour'];
const STOCK: Record<string, number> = { 'S-BLUE': 3, 'M-BLUE': 0, 'M-BLACK': 2 };
const available = (v: { sku: string }) => STOCK[v.sku] ?? 0;

describe('variant choice', () => {
  it('finds the variant a choice of every option names, and none for a partial choice', () => {
    assert.equal(variantFor(VARIANTS, NAMES, { Size: 'M', Colour: 'Black' })?.sku, 'M-BLACK');
    assert.equal(variantFor(VARIANTS, NAMES, { Size: 'S', Colour: 'Black' }), undefined);
    assert.equal(variantFor(VARIANTS, NAMES, { Size: 'S' }), undefined);
    assert.deepEqual(choiceOf(VARIANTS[0] as (typeof VARIANTS)[0]), { Size: 'S', Colour: 'Blue' });
  });

  it('marks each value as there, sold out or not made, keeping the other choices', () => {
    const choice = { Size: 'S', Colour: 'Blue' };
    const state = (option: string, value: string) =>
      valueState(VARIANTS, NAMES, choice, option, value, available);
    assert.equal(state('Size', 'S'), 'available');
    assert.equal(state('Size', 'M'), 'sold-out', 'M in Blue has none left');
    assert.equal(state('Colour', 'Black'), 'unavailable', 'there is no S in Black');
  });

  it('opens on the variant the address names, else the first in stock', () => {
    assert.equal(initialVariant(VARIANTS, 'M-BLACK', available)?.sku, 'M-BLACK');
    assert.equal(initialVariant(VARIANTS, undefined, () => 0)?.sku, 'S-BLUE');
    assert.equal(
      initialVariant(VARIANTS, 'NOPE', (v) => (v.sku === 'M-BLACK' ? 1 : 0))?.sku,
      'M-BLACK',
    );
  });
});
