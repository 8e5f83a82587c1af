import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lazyResource } from './lazy-resource.js';

describe('lazyResource', () => {
  it('starts once, retries after a failed start, and closes what it started', async () => {
    let starts = 0;
    const closed: number[] = [];
    const resource = lazyResource(
      async () => {
        starts += 1;
        if (starts === 1) throw new Error('not yet');
        return starts;
      },
      async (n) => {
        closed.push(n);
      },
    );
    await assert.rejects(resource.get(), /not yet/);
    assert.equal(await resource.get(), 2);
    assert.equal(await resource.get(), 2);
    await resource.close();
    assert.deepEqual(closed, [2]);
    assert.equal(await resource.get(), 3, 'a closed resource starts again');
    await resource.close();
    await resource.close();
    assert.deepEqual(closed, [2, 3]);
  });
});
