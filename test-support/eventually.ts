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

/**
 * Ports handed to servers a test starts later: below the ephemeral range (32768 and up on
 * Linux), from which the OS numbers outgoing connections. A port the OS picked for `listen(0)`
 * is an ephemeral one, and any connection made before the server listens (to Kafka, the
 * database, LocalStack) may take the same number: the server then fails with EADDRINUSE.
 */
const TEST_PORTS = { from: 20_000, to: 32_000 };

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A TCP port on 127.0.0.1 that was free a moment ago, outside the ephemeral range. */
export async function freePort(): Promise<number> {
  const span = TEST_PORTS.to - TEST_PORTS.from;
  for (let tries = 0; tries < 200; tries++) {
    const port = TEST_PORTS.from + Math.floor(Math.random() * span);
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port between ${TEST_PORTS.from} and ${TEST_PORTS.to}`);
}
