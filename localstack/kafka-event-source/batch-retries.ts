import type { ErrorHandling } from './event-source-mappings.js';

/** The chunk of a partition being retried: where it starts, how big it is, how often it failed. */
export interface RetryState {
  offset: string;
  size: number;
  /** Failed attempts at this size (a split starts counting again, as on AWS). */
  attempts: number;
}

/**
 * What follows a failed attempt of `size` records starting at `offset`: the same chunk again,
 * its first half (when splitting is on and it has more than one record), or, when it has
 * used its retries, `exhausted`: its records go to the on-failure destination.
 */
export function nextRetry(
  current: RetryState | undefined,
  offset: string,
  size: number,
  onError: Pick<ErrorHandling, 'bisectOnError' | 'maxRetryAttempts'>,
): { state: RetryState; exhausted: boolean } {
  if (onError.bisectOnError && size > 1) {
    return { state: { offset, size: Math.ceil(size / 2), attempts: 0 }, exhausted: false };
  }
  const attempts = (current?.size === size ? current.attempts : 0) + 1;
  const exhausted = onError.maxRetryAttempts >= 0 && attempts > onError.maxRetryAttempts;
  return { state: { offset, size, attempts }, exhausted };
}

/** Whether a record written at `timestamp` (ms, as text) is past the mapping's maximum age. */
export function isTooOld(
  timestamp: string,
  onError: Pick<ErrorHandling, 'maxRecordAgeSeconds'>,
  now = Date.now(),
): boolean {
  if (onError.maxRecordAgeSeconds < 0) return false;
  return now - Number(timestamp) > onError.maxRecordAgeSeconds * 1000;
}

/** Pause before the next attempt: 100 ms, doubling per failure, at most `maxMs`. */
export function backoffMs(attempts: number, maxMs = 5_000): number {
  return Math.min(100 * 2 ** Math.max(0, attempts - 1), maxMs);
}
