import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Every Lambda entry point serverless.yml deploys (`handler: <file>.handler`). */
const ENTRY_POINTS = [
  ...readFileSync(join(ROOT, 'serverless.yml'), 'utf8').matchAll(/handler: (\S+)\.handler/g),
].map((match) => `${match[1]}.ts`);

/**
 * Importing an entry point reads no environment: with production settings and none of the
 * required variables, every module loads, and each handler's first invocation fails with the
 * configuration problems listed, by variable name.
 */
describe('Lambda entry points', () => {
  it('are the fourteen functions serverless.yml deploys', () => {
    assert.equal(ENTRY_POINTS.length, 14);
  });

  it('load without configuration and report it on the first invocation', () => {
    const script = `
      const files = ${JSON.stringify(ENTRY_POINTS)};
      const results = [];
      for (const file of files) {
        const { handler } = await import('./' + file);
        const outcome = await Promise.resolve()
          .then(() => handler({ records: {} }, {}))
          .then(() => 'answered', (err) => String(err && err.message));
        results.push({ file, outcome });
      }
      process.stdout.write(JSON.stringify(results));
    `;
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 60_000,
        env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', LOG_LEVEL: 'silent' },
      },
    );
    assert.equal(child.status, 0, child.stderr);
    const results = JSON.parse(child.stdout) as { file: string; outcome: string }[];
    assert.equal(results.length, ENTRY_POINTS.length);
    for (const { file, outcome } of results) {
      assert.match(outcome, /^Invalid configuration:\n {2}- [A-Z_]+ is required but not set/, file);
    }
  });
});
