import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ensureChromium } from '../localstack/infra/chromium.js';
import { type InfraUpResult, infraDown, infraUp } from '../localstack/infra/infra.js';
import { REPO_ROOT } from '../localstack/infra/paths.js';
import { createToolLogger } from '../shared/logger/tool-logger.js';

/** Folders that hold tests; each test file sits beside the code it tests. */
const TEST_ROOTS = [
  'shared',
  'functions',
  'gateway',
  'services',
  'localstack',
  'bench',
  'deploy',
  'tools',
  'test-support',
  'frontend',
];
const SKIP_DIRS = new Set(['node_modules', '.cache', '.build', '.esbuild', '.serverless', 'dist']);
/** Tests that drive a real browser: they need Chromium, installed on first use. */
const BROWSER_TESTS = join('frontend', 'browser-tests');

const logger = createToolLogger('test');

function findTestFiles(dir: string, found: string[] = []): string[] {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !SKIP_DIRS.has(entry.name)) findTestFiles(path, found);
    else if (entry.isFile() && entry.name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

/** Runs Node's test runner (with tsx for TypeScript) and resolves with its exit code. */
function runNodeTests(files: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const args = [
    '--import',
    'tsx',
    '--test',
    '--test-reporter=spec',
    '--test-timeout=180000',
    ...files.map((file) => relative(REPO_ROOT, file)),
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGTERM', forward);
    process.on('SIGINT', forward);
    child.once('close', (code, signal) => {
      process.off('SIGTERM', forward);
      process.off('SIGINT', forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

/**
 * `npm test`: selects test files (all, or those whose path contains one of the given
 * arguments), brings up Kafka and the database when integration tests are among them (and
 * installs Chromium when browser tests are), runs the tests, then stops whatever this run
 * started.
 */
async function main(filters: readonly string[]): Promise<number> {
  const files = TEST_ROOTS.flatMap((root) => findTestFiles(join(REPO_ROOT, root)))
    .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
    .sort();
  if (files.length === 0) {
    logger.error({ filters }, 'no test files matched');
    return 1;
  }

  // Before any server starts, so that a machine that cannot install it leaves nothing running.
  const needsBrowser = files.some((file) => file.includes(BROWSER_TESTS));
  const chromium = needsBrowser ? await ensureChromium(logger) : undefined;

  const needsInfra = files.some((file) => file.endsWith('.integration.test.ts'));
  let infra: InfraUpResult | undefined;
  if (needsInfra) {
    infra = await infraUp(logger);
    for (const service of infra.services) {
      logger.info(`${service.name}: ${service.server} at ${service.url} (${service.origin})`);
    }
  }

  const serverOf = (name: string) =>
    infra?.services.find((service) => service.name === name)?.server ?? 'unknown';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    ...(infra?.settings ?? {}),
    ORDERLY_KAFKA_SERVER: serverOf('kafka'),
    ORDERLY_MONGO_SERVER_NAME: serverOf('mongo'),
    ...(chromium ? { CHROMIUM_PATH: chromium } : {}),
  };

  const started = Date.now();
  let code = 1;
  try {
    code = await runNodeTests(files, env);
  } finally {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    logger.info(`${files.length} test files ran in ${seconds}s`);
    if (infra && infra.started.length > 0 && process.env.ORDERLY_KEEP_INFRA !== '1') {
      await infraDown(logger, infra.started);
    }
  }
  return code;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    logger.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
