import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GroupCall, GroupCommit } from './group-commit.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('group commit', () => {
  it('sends a lone write at once, and writes made meanwhile together after it', async () => {
    const flushed: number[][] = [];
    const group = new GroupCommit<number>(async (items) => {
      flushed.push(items);
      await pause(10);
    });
    const first = group.submit(1);
    await pause(2);
    // These arrive while the first is in flight.
    const rest = [2, 3, 4].map((n) => group.submit(n));
    await Promise.all([first, ...rest]);
    assert.deepEqual(flushed, [[1], [2, 3, 4]]);
  });

  it('fails every caller of a failed batch, and the next batch goes on', async () => {
    let calls = 0;
    const group = new GroupCommit<string>(async (items) => {
      calls += 1;
      await pause(5);
      if (items.includes('bad')) throw new Error('broker refused the batch');
    });
    const first = group.submit('good-alone');
    await pause(1);
    const a = group.submit('a');
    const bad = group.submit('bad');
    await first;
    await assert.rejects(a, /refused/);
    await assert.rejects(bad, /refused/);
    await group.submit('after');
    assert.equal(calls, 3);
  });

  it('caps the size of one batch', async () => {
    const sizes: number[] = [];
    const group = new GroupCommit<number>(async (items) => {
      sizes.push(items.length);
    }, 3);
    await Promise.all(Array.from({ length: 7 }, (_, i) => group.submit(i)));
    assert.deepEqual(sizes, [3, 3, 1]);
  });

  it('answers each caller of a batch with its own result or its own error', async () => {
    const flushed: number[][] = [];
    const calls = new GroupCall<number, string>(async (items) => {
      flushed.push(items);
      await pause(5);
      return items.map((n) =>
        n < 0 ? { ok: false, error: new Error(`refused ${n}`) } : { ok: true, value: `took ${n}` },
      );
    });
    const first = calls.submit(1);
    await pause(1);
    const [a, refused, b] = [calls.submit(2), calls.submit(-3), calls.submit(4)];
    assert.equal(await first, 'took 1');
    assert.equal(await a, 'took 2');
    await assert.rejects(refused, /refused -3/);
    assert.equal(await b, 'took 4');
    assert.deepEqual(flushed, [[1], [2, -3, 4]]);
  });
});
