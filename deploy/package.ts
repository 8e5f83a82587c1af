import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../localstack/infra/paths.js';
import { formatPackages, readPackages } from './package-report.js';

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
