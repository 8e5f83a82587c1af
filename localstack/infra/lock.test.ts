import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { withLock } from './lock.js';

describe('withLock', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orderly-lock-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('never lets two holders overlap', async () => {
    const file = join(dir, 'a.lock');
    const events: string[] = [];
    const job = (name: string) =>
      withLock(file, async () => {
        events.push(`${name}:in`);
        await new Promise((resolve) => setTimeout(resolve, 100));
        events.push(`${name}:out`);
      });
    await Promise.all([job('first'), job('second')]);
    assert.equal(events.length, 4);
    assert.equal(
      events[0]?.split(':')[0],
      events[1]?.split(':')[0],
      'the first holder leaves before the next enters',
    );
    assert.equal(events[2]?.split(':')[0], events[3]?.split(':')[0]);
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const file = join(dir, 'stale.lock');
    writeFileSync(file, '2147483646');
    assert.equal(await withLock(file, async () => 'done', 1_000), 'done');
  });
});
