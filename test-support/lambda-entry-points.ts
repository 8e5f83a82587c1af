import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../localstack/infra/paths.js';

/** Every Lambda entry point serverless.yml deploys (`handler: <file>.handler`). */
export const LAMBDA_ENTRY_POINTS = [
  ...readFileSync(join(REPO_ROOT, 'serverless.yml'), 'utf8').matchAll(/handler: (\S+)\.handler/g),
].map((match) => `${match[1]}.ts`);

/**
 * What each Lambda entry point's first invocation answers (`answered`, or its error's message),
 * all in one child process whose environment is `env` alone (with PATH): nothing of this
 * process's leaks in.
 */
export function firstInvocations(env: Record<string, string>): { file: string; outcome: string }[] {
  const script = `
    const results = [];
    for (const file of ${JSON.stringify(LAMBDA_ENTRY_POINTS)}) {
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
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env },
    },
  );
  assert.equal(child.status, 0, child.stderr);
  const results = JSON.parse(child.stdout) as { file: string; outcome: string }[];
  assert.equal(results.length, LAMBDA_ENTRY_POINTS.length);
  return results;
}
