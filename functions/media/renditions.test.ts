import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planRenditions } from './renditions.js';

describe('rendition plan', () => {
  const key = 'media/products/p1/i1/original.jpg';

  it('makes each storefront width narrower than the original, keeping its proportions', () => {
    assert.deepEqual(planRenditions({ key, width: 1000, height: 500 }), [
      { width: 320, height: 160, key: 'media/products/p1/i1/w320.webp' },
      { width: 640, height: 320, key: 'media/products/p1/i1/w640.webp' },
    ]);
    assert.equal(planRenditions({ key, width: 4000, height: 3000 }).length, 3);
  });

  it('never enlarges: a small picture gets one copy at its own width', () => {
    assert.deepEqual(planRenditions({ key, width: 200, height: 300 }), [
      { width: 200, height: 300, key: 'media/products/p1/i1/w200.webp' },
    ]);
    assert.equal(planRenditions({ key, width: 320, height: 320 })[0]?.width, 320);
  });
});
