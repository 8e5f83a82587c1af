import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { facetFilters, readSearch, toggleFilter, writeSearch } from './search-params.js';

describe('search in the address', () => {
  it('reads text, sort, in-stock and several values of several facets', () => {
    const state = readSearch(
      'q=+tee+&sort=PRICE_ASC&stock=1&f=Size:M&f=Size:L&f=category:apparel&f=bad&f=Size:M',
    );
    assert.deepEqual(state, {
      query: 'tee',
      sort: 'PRICE_ASC',
      inStockOnly: true,
      filters: { Size: ['M', 'L'], category: ['apparel'] },
    });
    assert.deepEqual(facetFilters(state), [
      { name: 'Size', values: ['M', 'L'] },
      { name: 'category', values: ['apparel'] },
    ]);
    assert.equal(readSearch('sort=CHEAPEST').sort, 'RELEVANCE');
  });

  it('writes back what it reads, and toggles one value at a time', () => {
    const state = readSearch('q=mug&f=price:0-1000');
    assert.equal(writeSearch(state), '/search?q=mug&f=price%3A0-1000');
    const more = toggleFilter(state, 'Colour', 'Blue');
    assert.deepEqual(more.filters, { price: ['0-1000'], Colour: ['Blue'] });
    assert.deepEqual(toggleFilter(more, 'price', '0-1000').filters, { Colour: ['Blue'] });
    assert.equal(writeSearch(readSearch('')), '/search');
  });
});
