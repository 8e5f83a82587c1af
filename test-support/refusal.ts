import assert from 'node:assert/strict';
import { AppError } from '../shared/errors/catalogue.js';

/** Resolves with the AppError `promise` rejects with; fails the test if it resolves. */
export async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const outcome = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  assert.ok(outcome instanceof AppError, `expected a refusal, got ${String(outcome)}`);
  return outcome;
}
