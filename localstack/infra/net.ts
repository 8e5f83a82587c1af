import { createConnection, createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/** True when something accepts TCP connections on host:port. */
export function canConnect(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Asks the kernel whether host:port can be bound right now (0 = any free port). */
function tryListen(host: string, port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen({ host, port, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * The preferred port when it is free, otherwise a free port the kernel picks. Ports in
 * `taken` (chosen for another service of this run) are never returned.
 */
export async function choosePort(
  host: string,
  preferred: number,
  taken: ReadonlySet<number> = new Set(),
): Promise<number> {
  if (!taken.has(preferred) && (await tryListen(host, preferred)) === preferred) return preferred;
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await tryListen(host, 0);
    if (port !== undefined && !taken.has(port)) return port;
  }
  throw new Error(`no free TCP port found on ${host}`);
}

export interface WaitOptions {
  /** What is awaited, for the error message. */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Returns a reason to give up at once (e.g. the process died), or undefined. */
  abortIf?: () => string | undefined;
}

/** Polls `check` until it returns true; fails with the reason when it times out or aborts. */
export async function waitUntil(
  check: () => Promise<boolean>,
  options: WaitOptions,
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    const abort = options.abortIf?.();
    if (abort) throw new Error(`${options.what}: ${abort}`);
    const ready = await check().catch((err: unknown) => {
      lastError = err;
      return false;
    });
    if (ready) return;
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`${options.what}: not ready after ${options.timeoutMs / 1000}s${cause}`);
    }
    await delay(options.intervalMs ?? 250);
  }
}
