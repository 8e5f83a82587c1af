import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { slugify } from './slug.js';

describe('slugify', () => {
  it('keeps letters and digits, drops accents, joins words with single hyphens', () => {
    assert.equal(slugify('Café Crème 250g!'), 'cafe-creme-250g');
    assert.equal(slugify('  Red -- Shirt  (XL) '), 'red-shirt-xl');
    assert.equal(slugify('ÄÖÜ straße'), 'aou-strasse');
    assert.equal(slugify('!!!'), '');
  });

  it('caps the length without a trailing hyphen', () => {
    const slug = slugify(`${'a'.repeat(95)} b`);
    assert.ok(slug.length <= 96);
    assert.doesNotMatch(slug, /-$/);
  });
});
