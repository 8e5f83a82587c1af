import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newClusterId } from './kafka.js';

describe('the local Kafka cluster id', () => {
  it('is 22 URL-safe base64 characters and never starts with "-"', () => {
    // 0xF8 makes the first base64 character "-"; the id drawn after it is taken instead.
    const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0x11)];
    const id = newClusterId(() => draws.shift() ?? assert.fail('drew too often'));
    assert.equal(id, Buffer.alloc(16, 0x11).toString('base64url'));
    assert.equal(Buffer.alloc(16, 0xf8).toString('base64url')[0], '-');
    for (let i = 0; i < 1_000; i++) assert.match(newClusterId(), /^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
  });
});
