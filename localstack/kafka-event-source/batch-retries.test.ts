import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffMs, isTooOld, nextRetry } from './batch-retries.js';

describe('batch retries', () => {
  const split = { bisectOnError: true, maxRetryAttempts: 2 };

  it('halves a failing batch down to one record before counting its retries', () => {
    let step = nextRetry(undefined, '10', 100, split);
    const sizes = [step.state.size];
    while (step.state.size > 1) {
      step = nextRetry(step.state, '10', step.state.size, split);
      sizes.push(step.state.size);
    }
    assert.deepEqual(sizes, [50, 25, 13, 7, 4, 2, 1]);
    assert.equal(step.state.attempts, 0);
    assert.equal(step.exhausted, false);
  });

  it('gives one record its first attempt and maxRetryAttempts more, then gives up', () => {
    const first = nextRetry({ offset: '10', size: 1, attempts: 0 }, '10', 1, split);
    const second = nextRetry(first.state, '10', 1, split);
    const third = nextRetry(second.state, '10', 1, split);
    assert.deepEqual(
      [first, second, third].map((s) => [s.state.attempts, s.exhausted]),
      [
        [1, false],
        [2, false],
        [3, true],
      ],
    );
  });

  it('retries forever with -1, and counts the whole batch when splitting is off', () => {
    let step = nextRetry(undefined, '0', 5, { bisectOnError: false, maxRetryAttempts: -1 });
    for (let i = 0; i < 50; i++)
      step = nextRetry(step.state, '0', 5, { bisectOnError: false, maxRetryAttempts: -1 });
    assert.equal(step.state.size, 5);
    assert.equal(step.exhausted, false);
  });

  it('tells a record past the maximum age, and never with -1', () => {
    const now = 1_000_000_000;
    assert.equal(isTooOld(String(now - 61_000), { maxRecordAgeSeconds: 60 }, now), true);
    assert.equal(isTooOld(String(now - 59_000), { maxRecordAgeSeconds: 60 }, now), false);
    assert.equal(isTooOld('0', { maxRecordAgeSeconds: -1 }, now), false);
  });

  it('backs off from 100 ms, doubling, up to the cap', () => {
    assert.deepEqual(
      [1, 2, 3, 7, 20].map((attempts) => backoffMs(attempts, 5_000)),
      [100, 200, 400, 5_000, 5_000],
    );
  });
});
