import { createServer } from 'node:net';

/**
 * Polls `predicate` every 50 ms until it holds; rejects naming `what` after `timeoutMs`.
 * A predicate that throws counts as "not yet", unless `isFatal` says the error ends the wait.
 */
export async function eventually(
  predicate: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
  isFatal: (err: unknown) => boolean = () => false,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const check = async () => {
    try {
      return await predicate();
    } catch (err) {
      if (isFatal(err)) throw err;
      return false;
    }
  };
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
