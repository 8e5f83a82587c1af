import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FailureCounter } from './login-throttle.js';

describe('login failure counter', () => {
  it('blocks a key after its failures until the window ends, and a success clears it', () => {
    let now = 0;
    const counter = new FailureCounter(3, 60_000, 100, () => now);
    for (let i = 0; i < 3; i++) {
      assert.equal(counter.blockedFor('a'), 0);
      counter.fail('a');
    }
    assert.equal(counter.blockedFor('a'), 60);
    assert.equal(counter.blockedFor('b'), 0, 'other keys are not affected');
    now = 45_000;
    assert.equal(counter.blockedFor('a'), 15);
    now = 60_000;
    assert.equal(counter.blockedFor('a'), 0, 'a new window');
    counter.fail('a');
    counter.clear('a');
    assert.equal(counter.blockedFor('a'), 0);
  });

  it('keeps at most maxKeys windows, dropping the least recently failed', () => {
    const counter = new FailureCounter(1, 60_000, 2);
    counter.fail('a');
    counter.fail('b');
    counter.fail('a'); // a is now the most recent
    counter.fail('c');
    assert.ok(counter.blockedFor('a') > 0);
    assert.equal(counter.blockedFor('b'), 0, 'b was dropped');
    assert.ok(counter.blockedFor('c') > 0);
  });
});
