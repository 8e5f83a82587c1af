import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { canConnect, choosePort, waitUntil } from './net.js';

describe('ports', () => {
  let server: Server;
  let busyPort: number;

  before(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    busyPort = typeof address === 'object' && address ? address.port : 0;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sees a listening port as connectable and a closed one as not', async () => {
    assert.equal(await canConnect('127.0.0.1', busyPort), true);
    const free = await choosePort('127.0.0.1', 0);
    assert.equal(await canConnect('127.0.0.1', free), false);
  });

  it('falls back to another free port when the preferred one is taken', async () => {
    const port = await choosePort('127.0.0.1', busyPort);
    assert.notEqual(port, busyPort);
    assert.ok(port > 0);
  });

  it('keeps the preferred port when it is free, unless already taken in this run', async () => {
    const free = await choosePort('127.0.0.1', 0);
    assert.equal(await choosePort('127.0.0.1', free), free);
    assert.notEqual(await choosePort('127.0.0.1', free, new Set([free])), free);
  });
});

describe('waitUntil', () => {
  it('returns once the check passes', async () => {
    let calls = 0;
    await waitUntil(async () => ++calls >= 3, {
      what: 'three calls',
      timeoutMs: 2_000,
      intervalMs: 10,
    });
    assert.equal(calls, 3);
  });

  it('fails with the reason when aborted', async () => {
    await assert.rejects(
      waitUntil(async () => false, {
        what: 'broker',
        timeoutMs: 2_000,
        abortIf: () => 'it exited',
      }),
      /broker: it exited/,
    );
  });

  it('times out naming what it waited for', async () => {
    await assert.rejects(
      waitUntil(async () => false, { what: 'database', timeoutMs: 100, intervalMs: 20 }),
      /database: not ready after 0.1s/,
    );
  });

  it('names the last error the check threw when it times out', async () => {
    await assert.rejects(
      waitUntil(
        async () => {
          throw new Error('connection refused');
        },
        { what: 'database', timeoutMs: 100, intervalMs: 20 },
      ),
      /database: not ready after 0.1s \(last error: connection refused\)/,
    );
  });
});
