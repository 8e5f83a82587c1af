import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { delayAfter } from './login-throttle.js';

describe('the wrong-password delay', () => {
  it('is none for the free failures, then doubles, up to its cap', () => {
    const delays = Array.from({ length: 16 }, (_, failures) => delayAfter(failures, 5, 900));
    assert.deepEqual(delays, [0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900]);
    assert.equal(delayAfter(10_000, 5, 900), 900, 'no overflow, however many');
  });
});
