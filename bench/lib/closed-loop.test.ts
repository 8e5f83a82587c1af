import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { percentile, runClosedLoop } from './closed-loop.js';

describe('closed-loop load', () => {
  it('computes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(values, 50), 50);
    assert.equal(percentile(values, 99), 99);
    assert.equal(percentile([], 50), 0);
  });

  it('runs every operation once, never more than `concurrency` at a time, and counts errors', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen = new Set<number>();
    const result = await runClosedLoop(50, 4, async (i) => {
      seen.add(i);
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight--;
      if (i % 10 === 0) throw new Error('planned');
    });
    assert.equal(seen.size, 50);
    assert.equal(peak, 4);
    assert.equal(result.errors, 5);
    assert.equal(result.ops, 45);
    assert.ok(result.p99Ms >= result.p50Ms);
  });
});
