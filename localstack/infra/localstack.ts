import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../shared/logger/logger.js';
import { findOnPath, runCommand } from './commands.js';
import { isRunning, startDaemon, tailFile } from './daemon.js';
import { installOnce } from './install-once.js';
import { canConnect, waitUntil } from './net.js';
import { INFRA_DIR, LOCALSTACK_DIR } from './paths.js';
import type { ServiceRecord } from './service-record.js';

/**
 * LocalStack community, the project's local AWS for S3 and SES (and SSM, Secrets Manager,
 * SQS, CloudFormation): installed from PyPI into a virtual environment once, and run on the
 * host without Docker. Its Lambda needs Docker, so functions keep their own emulation.
 */
const REQUIREMENTS = join(LOCALSTACK_DIR, 'infra', 'servers', 'localstack', 'requirements.txt');

/** The version is declared once, in the requirements that install it. */
export const LOCALSTACK_VERSION =
  /^localstack-core\[runtime\]==(\S+)$/m.exec(readFileSync(REQUIREMENTS, 'utf8'))?.[1] ?? '';

/** The AWS services it serves here. */
export const LOCALSTACK_SERVICES = [
  's3',
  'ses',
  'ssm',
  'secretsmanager',
  'sqs',
  'cloudformation',
] as const;

export const LOCALSTACK_PORT = 4566;

const VENV = join(INFRA_DIR, `localstack-${LOCALSTACK_VERSION}`);
const INSTALLED = join(VENV, '.installed');
/** Run through the venv's Python: a venv's scripts name the folder it was built in. */
const PYTHON = join(VENV, 'bin', 'python');
export const LOCALSTACK_HOME = join(INFRA_DIR, 'localstack');
/** Where LocalStack looks for files "packaged with the image", under a FILESYSTEM_ROOT. */
const STATIC_LIBS = join('usr', 'lib', 'localstack');
/** The service catalog index, built once beside the virtualenv (see ensureServiceCatalog). */
const CATALOG_ROOT = join(INFRA_DIR, `localstack-${LOCALSTACK_VERSION}-catalog`);

/** Installs LocalStack into a virtual environment under .cache/infra once (about a minute). */
export async function installLocalstack(logger: Logger): Promise<void> {
  await installOnce(
    VENV,
    () => existsSync(INSTALLED),
    async (staging) => {
      const python = findOnPath('python3') ?? findOnPath('python');
      if (!python) {
        throw new Error(
          'LocalStack (the local S3 and SES) needs Python 3 with venv and pip; none is on PATH',
        );
      }
      logger.info(
        { version: LOCALSTACK_VERSION },
        'installing LocalStack from PyPI into .cache/infra (once; about a minute)',
      );
      await runCommand(python, ['-m', 'venv', staging]);
      await runCommand(join(staging, 'bin', 'python'), [
        '-m',
        'pip',
        'install',
        '--quiet',
        '--disable-pip-version-check',
        '--no-input',
        '-r',
        REQUIREMENTS,
      ]);
      writeFileSync(join(staging, '.installed'), `localstack-core ${LOCALSTACK_VERSION}\n`);
    },
  );
  await ensureServiceCatalog(logger);
}

/**
 * Builds LocalStack's service catalog index once, as its container image does at build time
 * (`python -m localstack.aws.spec`). Without it, LocalStack builds the index on its first
 * request from every AWS service's specification, and keeps the memory: 520 MB resident
 * instead of 155 MB, measured here.
 */
async function ensureServiceCatalog(logger: Logger): Promise<void> {
  const built = () =>
    existsSync(join(CATALOG_ROOT, STATIC_LIBS)) &&
    readdirSync(join(CATALOG_ROOT, STATIC_LIBS)).some((file) => file.endsWith('.dill'));
  await installOnce(CATALOG_ROOT, built, async (staging) => {
    logger.info('indexing the AWS service catalog for LocalStack (once; a few seconds)');
    mkdirSync(join(staging, STATIC_LIBS), { recursive: true });
    await runCommand(PYTHON, ['-m', 'localstack.aws.spec'], {
      env: { ...process.env, FILESYSTEM_ROOT: staging, OVERRIDE_IN_DOCKER: '0' },
    });
  });
}

/** Puts the prebuilt catalog index where the LocalStack about to start looks first. */
function provideServiceCatalog(filesystemRoot: string): void {
  const from = join(CATALOG_ROOT, STATIC_LIBS);
  if (!existsSync(from)) return; // LocalStack builds it itself (and keeps the memory)
  const to = join(filesystemRoot, STATIC_LIBS);
  mkdirSync(to, { recursive: true });
  for (const file of readdirSync(from).filter((name) => name.endsWith('.dill'))) {
    if (!existsSync(join(to, file))) copyFileSync(join(from, file), join(to, file));
  }
}

/**
 * Starts LocalStack in the background on host:port. Its data folders live under
 * .cache/infra/localstack (it would write to /var/lib/localstack otherwise, as in its
 * container); presigned URLs are checked (signature and expiry, as on AWS); nothing reaches
 * out to the internet (no DNS server, no certificate download, no analytics).
 */
export function launchLocalstack(logger: Logger, host: string, port: number): ServiceRecord {
  const url = `http://${host}:${port}`;
  logger.info({ url, version: LOCALSTACK_VERSION }, 'starting LocalStack');
  const filesystemRoot = join(LOCALSTACK_HOME, 'fs');
  provideServiceCatalog(filesystemRoot);
  const daemon = startDaemon({
    command: PYTHON,
    marker: 'localstack.runtime.main',
    args: ['-m', 'localstack.runtime.main'],
    cwd: LOCALSTACK_HOME,
    env: {
      ...process.env,
      GATEWAY_LISTEN: `${host}:${port}`,
      LOCALSTACK_HOST: `${host}:${port}`,
      SERVICES: LOCALSTACK_SERVICES.join(','),
      // Not in a container, whatever the machine looks like, and its folders are ours.
      OVERRIDE_IN_DOCKER: '0',
      FILESYSTEM_ROOT: filesystemRoot,
      S3_SKIP_SIGNATURE_VALIDATION: '0',
      DNS_ADDRESS: '0',
      SKIP_SSL_CERT_DOWNLOAD: '1',
      DISABLE_EVENTS: '1',
      PYTHONUNBUFFERED: '1',
      MALLOC_ARENA_MAX: '2',
    },
    logFile: join(LOCALSTACK_HOME, 'localstack.log'),
  });
  return {
    name: 'localstack',
    server: `LocalStack ${LOCALSTACK_VERSION} community: ${LOCALSTACK_SERVICES.join(', ')}`,
    host,
    port,
    url,
    daemon,
  };
}

/** True when every service it was asked for reports itself available (or running). */
async function servicesReady(url: string): Promise<boolean> {
  const response = await fetch(`${url}/_localstack/health`, { signal: AbortSignal.timeout(2_000) });
  if (!response.ok) return false;
  const { services } = (await response.json()) as { services?: Record<string, string> };
  return LOCALSTACK_SERVICES.every((service) =>
    ['available', 'running'].includes(services?.[service] ?? ''),
  );
}

/** Waits until LocalStack serves; fails early, with its log, if it exits. */
export async function waitForLocalstack(record: ServiceRecord, timeoutMs = 90_000): Promise<void> {
  await waitUntil(
    async () => (await canConnect(record.host, record.port)) && servicesReady(record.url),
    {
      what: `LocalStack on ${record.url}`,
      timeoutMs,
      abortIf: () =>
        isRunning(record.daemon)
          ? undefined
          : `it exited; its log ends with:\n${tailFile(record.daemon.logFile)}`,
    },
  );
}
