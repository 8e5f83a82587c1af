import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../shared/errors/catalogue.js';
import {
  decodeSearchCursor,
  encodeSearchCursor,
  PRICE_LABELS,
  parseFilters,
  parsePriceRange,
  productMatch,
  sortOf,
} from './search-query.js';

describe('search query', () => {
  it('reads price ranges in minor units, open above or not, and refuses anything else', () => {
    assert.deepEqual(parsePriceRange('0-2000', 'f'), { min: 0, max: 2000 });
    assert.deepEqual(parsePriceRange('5000-', 'f'), { min: 5000, max: null });
    for (const bad of ['cheap', '20-10', '-5', '1.5-3', '10-10']) {
      assert.throws(
        () => parsePriceRange(bad, 'f'),
        (err) => err instanceof AppError && err.code === 'BAD_USER_INPUT',
        bad,
      );
    }
  });

  it('sorts filters into facets: the same facet twice is one filter, anything else an option', () => {
    const parsed = parseFilters([
      { name: 'Category', values: ['apparel'] },
      { name: 'Size', values: ['M'] },
      { name: 'Size', values: ['L'] },
      { name: 'price', values: ['0-1000', '1000-'] },
      { name: 'collection', values: ['summer'] },
    ]);
    assert.deepEqual(parsed.categories, ['apparel']);
    assert.deepEqual(parsed.collections, ['summer']);
    assert.deepEqual(parsed.prices, [
      { min: 0, max: 1000 },
      { min: 1000, max: null },
    ]);
    assert.deepEqual([...parsed.options], [['Size', ['M', 'L']]]);
    assert.throws(() => parseFilters([{ name: 'Size', values: [] }]), /needs at least one value/);
    // A variant has at most three options: a fourth option filter could match nothing.
    const options = ['Size', 'Colour', 'Fit', 'Sleeve'].map((name) => ({ name, values: ['x'] }));
    assert.doesNotThrow(() => parseFilters(options.slice(0, 3)));
    assert.throws(() => parseFilters(options), /At most 3 option filters/);
  });

  it('leaves only its own filter out of a facet, and holds variant filters for one variant', () => {
    const ctx = {
      filters: parseFilters([
        { name: 'category', values: ['apparel'] },
        { name: 'Size', values: ['M'] },
      ]),
      collectionIds: null,
      inStockOnly: true,
    };
    assert.deepEqual(productMatch(ctx, null), {
      $and: [
        { category: { $in: ['apparel'] } },
        {
          variants: {
            $elemMatch: { $and: [{ optionKeys: { $in: ['Size=M'] } }, { available: { $gt: 0 } }] },
          },
        },
      ],
    });
    assert.deepEqual(productMatch(ctx, 'category'), {
      $and: [
        {
          variants: {
            $elemMatch: { $and: [{ optionKeys: { $in: ['Size=M'] } }, { available: { $gt: 0 } }] },
          },
        },
      ],
    });
    assert.deepEqual(productMatch(ctx, { option: 'Size' }), {
      $and: [
        { category: { $in: ['apparel'] } },
        { variants: { $elemMatch: { $and: [{ available: { $gt: 0 } }] } } },
      ],
    });
  });

  it('names the price buckets, the last one open', () => {
    assert.equal(PRICE_LABELS[0], '0-1000');
    assert.equal(PRICE_LABELS.at(-1), '100000-');
  });

  it('pages by the sort it was made for, relevance needing text', () => {
    assert.equal(sortOf({ sort: 'RELEVANCE' }).sort, 'NEWEST');
    assert.equal(sortOf({ sort: 'RELEVANCE', query: 'mug' }).field, 'score');
    const cursor = encodeSearchCursor({
      sort: 'PRICE_ASC',
      key: 1200,
      id: '65a000000000000000000001',
    });
    assert.deepEqual(decodeSearchCursor(cursor, 'PRICE_ASC'), {
      sort: 'PRICE_ASC',
      key: 1200,
      id: '65a000000000000000000001',
    });
    assert.throws(() => decodeSearchCursor(cursor, 'NEWEST'), /not a cursor of this search/);
    assert.throws(() => decodeSearchCursor('garbage', 'NEWEST'), /not a cursor/);
  });
});
