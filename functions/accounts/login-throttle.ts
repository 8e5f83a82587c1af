/**
 * Counts failed logins per key (an account, a client address) in a fixed window, so that
 * guessing one account's password stops after a few tries while a shop full of shoppers
 * behind one address logging in correctly is never refused. Counters live in memory, per
 * execution environment; the table is bounded (the oldest windows go first).
 */
export class FailureCounter {
  private readonly windows = new Map<string, { startedAt: number; failures: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 50_000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Seconds until `key` may try again, or 0 when it has failures left. */
  blockedFor(key: string): number {
    const window = this.current(key);
    if (!window || window.failures < this.limit) return 0;
    return Math.ceil((window.startedAt + this.windowMs - this.clock()) / 1000);
  }

  fail(key: string): void {
    const window = this.current(key) ?? { startedAt: this.clock(), failures: 0 };
    window.failures += 1;
    this.windows.delete(key); // re-inserted last: Map order is the eviction order
    this.windows.set(key, window);
    while (this.windows.size > this.maxKeys) {
      const oldest = this.windows.keys().next().value;
      if (oldest === undefined) break;
      this.windows.delete(oldest);
    }
  }

  /** A correct password clears the account's count (not the address's). */
  clear(key: string): void {
    this.windows.delete(key);
  }

  private current(key: string) {
    const window = this.windows.get(key);
    if (window && this.clock() - window.startedAt >= this.windowMs) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }
}
