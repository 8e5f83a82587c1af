import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { installOnce } from './install-once.js';

describe('installOnce', () => {
  const root = mkdtempSync(join(tmpdir(), 'orderly-install-once-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('builds the folder once and leaves it alone while it is complete', async () => {
    const dir = join(root, 'tool');
    const marker = join(dir, 'done');
    let builds = 0;
    const build = async (staging: string) => {
      builds += 1;
      writeFileSync(join(staging, 'done'), String(builds));
    };
    await installOnce(
      dir,
      () => existsSync(marker),
      async (staging) => {
        mkdirSync(staging);
        await build(staging);
      },
    );
    await installOnce(dir, () => existsSync(marker), build);
    assert.equal(builds, 1);
    assert.equal(readFileSync(marker, 'utf8'), '1');
  });

  it('leaves neither the folder nor its staging behind when the build fails', async () => {
    const dir = join(root, 'broken');
    await assert.rejects(
      installOnce(
        dir,
        () => existsSync(join(dir, 'done')),
        async (staging) => {
          mkdirSync(staging);
          writeFileSync(join(staging, 'half'), 'x');
          throw new Error('download failed');
        },
      ),
      /download failed/,
    );
    assert.equal(existsSync(dir), false);
    assert.equal(existsSync(`${dir}.partial-${process.pid}`), false);
  });
});
