import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { withLock } from './lock.js';

/**
 * Makes `dir` once: `build` fills a staging folder beside it, which takes `dir`'s place only
 * when complete, under a lock, so an interrupted or concurrent install never leaves a
 * half-made `dir` that a later run would trust. Returns at once when `isComplete()` holds.
 */
export async function installOnce(
  dir: string,
  isComplete: () => boolean,
  build: (staging: string) => Promise<void>,
): Promise<void> {
  if (isComplete()) return;
  await withLock(`${dir}.lock`, async () => {
    if (isComplete()) return;
    const staging = `${dir}.partial-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(dirname(dir), { recursive: true });
    try {
      await build(staging);
      rmSync(dir, { recursive: true, force: true });
      renameSync(staging, dir);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  });
}
