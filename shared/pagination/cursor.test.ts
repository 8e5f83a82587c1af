import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../errors/catalogue.js';
import { decodeCursor, encodeCursor } from './cursor.js';

describe('cursors', () => {
  it('round-trips a position', () => {
    const position = {
      createdAt: new Date('2026-11-23T10:00:00.123Z'),
      id: '6b04c670c13eb5b1e3f4603d',
    };
    assert.deepEqual(decodeCursor(encodeCursor(position)), position);
  });

  it('refuses anything it did not make, naming the field', () => {
    for (const bad of [
      '',
      'not-base64-json',
      Buffer.from('{"t":"x","id":1}').toString('base64url'),
    ]) {
      assert.throws(
        () => decodeCursor(bad),
        (err: unknown) =>
          err instanceof AppError &&
          err.code === 'BAD_USER_INPUT' &&
          err.details?.field === 'after',
      );
    }
  });
});
