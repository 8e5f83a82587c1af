import { randomBytes, scrypt } from 'node:crypto';
import { hashPassword, verifyPassword } from '../../functions/accounts/password.js';
import { type LoadResult, runClosedLoop } from '../lib/closed-loop.js';

export interface PasswordBenchResult {
  settings: { checks: number; concurrencies: number[] };
  cases: { name: string; concurrency: number; result: LoadResult; ratioToOld: number }[];
}

/** A hash in the stored format at the cost used before 2026-12-03 (N=2^14, r=8, p=1). */
function oldCostHash(password: string): Promise<string> {
  const salt = randomBytes(16);
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, 64, { N: 16_384, r: 8, p: 1 }, (err, key) =>
      err
        ? reject(err)
        : resolve(
            ['scrypt', 16_384, 8, 1, salt.toString('base64'), key.toString('base64')].join('$'),
          ),
    );
  });
}

/**
 * What a password check costs a login: `verifyPassword` against a hash at today's cost and at
 * the cost before, one at a time (a login's latency) and four at a time (libuv's thread pool,
 * where scrypt runs: the throughput of one process), in the same run.
 */
export async function benchPasswords(checks = 40): Promise<PasswordBenchResult> {
  const password = 'correct-horse-battery-1';
  const hashes = { today: await hashPassword(password), before: await oldCostHash(password) };
  const concurrencies = [1, 4];
  const cases: PasswordBenchResult['cases'] = [];
  for (const concurrency of concurrencies) {
    const run = (hash: string) =>
      runClosedLoop(checks, concurrency, async () => {
        if (!(await verifyPassword(password, hash))) throw new Error('the password did not match');
      });
    await run(hashes.before); // warm-up
    const before = await run(hashes.before);
    const today = await run(hashes.today);
    if (before.errors + today.errors > 0) throw new Error('a password check failed');
    const ratio = Math.round((today.p50Ms / Math.max(before.p50Ms, 0.001)) * 100) / 100;
    cases.push(
      { name: 'before: N=2^14, r=8, p=1', concurrency, result: before, ratioToOld: 1 },
      { name: 'today: N=2^14, r=8, p=5', concurrency, result: today, ratioToOld: ratio },
    );
  }
  return { settings: { checks, concurrencies }, cases };
}
