import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runInKeyLanes } from './key-lanes.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('key lanes', () => {
  it('runs each key in order, different keys side by side, within the bound', async () => {
    const items = Array.from({ length: 60 }, (_, i) => ({ key: `k${i % 6}`, seq: i }));
    const seen = new Map<string, number[]>();
    let inFlight = 0;
    let most = 0;
    await runInKeyLanes(
      items,
      (item) => item.key,
      4,
      async ({ key, seq }) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await pause(Math.random() * 4);
        seen.set(key, [...(seen.get(key) ?? []), seq]);
        inFlight -= 1;
      },
    );
    assert.equal(most, 4, 'four lanes at once, never more');
    for (const [key, seqs] of seen) {
      const expected = items.filter((item) => item.key === key).map((item) => item.seq);
      assert.deepEqual(seqs, expected, `${key} in offset order`);
    }
  });

  it('stops at the first failure, lets started items finish, then throws it', async () => {
    const ran: string[] = [];
    let slowFinished = false;
    const failing = runInKeyLanes(
      ['a1', 'b1', 'a2', 'a3', 'c1'],
      (item) => item[0] as string,
      2,
      async (item) => {
        ran.push(item);
        if (item === 'b1') {
          await pause(30);
          slowFinished = true;
        }
        if (item === 'a2') throw new Error('a2 failed');
      },
    );
    await assert.rejects(failing, /a2 failed/);
    assert.ok(slowFinished, 'the running item finished before the failure was thrown');
    assert.ok(!ran.includes('a3'), 'the failed lane did not go past its failure');
    assert.ok(!ran.includes('c1'), 'no new lane started after the failure');
  });

  it('runs items without a shared key one after another when the bound is 1', async () => {
    const order: number[] = [];
    await runInKeyLanes([3, 1, 2], String, 1, async (n) => {
      await pause(n);
      order.push(n);
    });
    assert.deepEqual(order, [3, 1, 2]);
  });
});
