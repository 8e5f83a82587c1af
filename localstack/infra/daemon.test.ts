import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isRunning, startDaemon, stopDaemon, tailFile } from './daemon.js';

describe('daemon processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orderly-daemon-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('starts a detached process, logs to its file, and stops it with SIGTERM', async () => {
    const daemon = startDaemon({
      command: '/bin/sh',
      args: ['-c', 'echo hello-from-daemon; exec sleep 30'],
      marker: 'sleep',
      cwd: dir,
      logFile: join(dir, 'sleep.log'),
    });
    assert.ok(daemon.pid > 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(isRunning(daemon), true);
    assert.match(readFileSync(daemon.logFile, 'utf8'), /hello-from-daemon/);
    assert.equal(await stopDaemon(daemon, 5_000), 'stopped');
    assert.equal(isRunning(daemon), false);
    assert.equal(await stopDaemon(daemon), 'not-running');
  });

  it('kills a process that ignores SIGTERM once the grace period ends', async () => {
    const daemon = startDaemon({
      command: '/bin/sh',
      args: ['-c', 'trap "" TERM; echo ready; while true; do sleep 1; done'],
      cwd: dir,
      logFile: join(dir, 'stubborn.log'),
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(await stopDaemon(daemon, 300), 'killed');
    assert.equal(isRunning(daemon), false);
  });

  it('does not take a recycled pid for its own process', () => {
    const record = {
      pid: process.pid,
      command: '/usr/bin/java',
      marker: 'kafka.Kafka',
      logFile: join(dir, 'none.log'),
      startedAt: new Date().toISOString(),
    };
    assert.equal(isRunning(record), false, 'this test process is not a Kafka broker');
  });

  it('tails the end of a log file', () => {
    const daemonLog = join(dir, 'sleep.log');
    assert.match(tailFile(daemonLog, 1), /hello-from-daemon/);
    assert.equal(tailFile(join(dir, 'missing.log')), '');
  });
});
