import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatPackages, readPackages } from './package-report.js';

/** The repository root: deploying needs nothing of the local emulation. */
const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * `npm run package [-- --stage prod]`: builds the CloudFormation template and one zip per
 * function into .serverless/ (no AWS credentials or network needed), then prints the size
 * of each function's zip, bundle and source map.
 */
const args = process.argv.slice(2);
const stageArgs = args.includes('--stage') ? [] : ['--stage', 'prod'];
const result = spawnSync(
  join(REPO_ROOT, 'node_modules', '.bin', 'serverless'),
  ['package', ...stageArgs, ...args],
  { cwd: REPO_ROOT, stdio: 'inherit' },
);
if (result.status !== 0) process.exit(result.status ?? 1);
const dir = join(REPO_ROOT, '.serverless');
process.stdout.write(`\n${formatPackages(readPackages(dir))}\n\nin ${dir}\n`);
