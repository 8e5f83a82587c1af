import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import type { Logger } from '../../shared/logger/logger.js';
import { describeServer } from '../../shared/mongo/mongo-client.js';
import { findOnPath, runCommand } from './commands.js';
import { type DaemonRecord, isRunning, startDaemon, tailFile } from './daemon.js';
import { installMavenLibs, javaCommand, pomProperty } from './maven.js';
import { canConnect, waitUntil } from './net.js';
import { INFRA_DIR, LOCALSTACK_DIR } from './paths.js';
import type { ServiceRecord } from './service-record.js';

const MONGO_HOME = join(INFRA_DIR, 'mongo');

const MJS_SOURCE = join(LOCALSTACK_DIR, 'tools', 'mongo-java-server');
const MJS_POM = join(MJS_SOURCE, 'pom.xml');
const MJS_VERSION = pomProperty(MJS_POM, 'mongo-java-server.version');
const MJS_LIBS = join(INFRA_DIR, `mongo-java-server-${MJS_VERSION}`, 'libs');

const FERRETDB_SOURCE = join(LOCALSTACK_DIR, 'tools', 'ferretdb');
const FERRETDB_BINARY = join(INFRA_DIR, 'bin', 'orderly-ferretdb');
const FERRETDB_STAMP = `${FERRETDB_BINARY}.stamp`;

export const MONGO_SERVER_KINDS = ['mongod', 'mongo-java-server', 'ferretdb'] as const;
export type MongoServerKind = (typeof MONGO_SERVER_KINDS)[number];

/**
 * Which server to run. `ORDERLY_MONGO_SERVER` decides when set; otherwise a real `mongod`
 * on PATH is preferred, and mongo-java-server (from Maven Central) is the fallback.
 * FerretDB is opt-in only: its v1 SQLite backend does not apply concurrent conditional
 * updates atomically (see docs/decisions.md), which the inventory relies on.
 */
export function chooseMongoServer(env: NodeJS.ProcessEnv = process.env): MongoServerKind {
  const wanted = env.ORDERLY_MONGO_SERVER;
  if (wanted) {
    if ((MONGO_SERVER_KINDS as readonly string[]).includes(wanted))
      return wanted as MongoServerKind;
    throw new Error(
      `ORDERLY_MONGO_SERVER must be one of ${MONGO_SERVER_KINDS.join(', ')}, got "${wanted}"`,
    );
  }
  return findOnPath('mongod') ? 'mongod' : 'mongo-java-server';
}

/** Installs what the chosen server needs into the cache (nothing for mongod). */
export async function installMongo(logger: Logger, kind: MongoServerKind): Promise<void> {
  if (kind === 'mongo-java-server') {
    await installMavenLibs(logger, `mongo-java-server ${MJS_VERSION}`, MJS_POM, MJS_LIBS);
  } else if (kind === 'ferretdb') {
    await buildFerretDb(logger);
  }
}

function ferretSourceHash(goVersion: string): string {
  const hash = createHash('sha256').update(goVersion);
  for (const file of ['main.go', 'go.mod', 'go.sum']) {
    hash.update(readFileSync(join(FERRETDB_SOURCE, file)));
  }
  return hash.digest('hex');
}

/** Builds the FerretDB launcher when it is missing or its sources changed. */
async function buildFerretDb(logger: Logger): Promise<void> {
  if (!findOnPath('go')) throw new Error('Go is needed to build FerretDB');
  const goVersion = (await runCommand('go', ['version'])).trim();
  const wanted = ferretSourceHash(goVersion);
  const current = existsSync(FERRETDB_STAMP) ? readFileSync(FERRETDB_STAMP, 'utf8').trim() : '';
  if (existsSync(FERRETDB_BINARY) && current === wanted) return;
  logger.info('building FerretDB from the Go module proxy (first run takes a few minutes)');
  await runCommand('go', ['build', '-trimpath', '-o', FERRETDB_BINARY, '.'], {
    cwd: FERRETDB_SOURCE,
    env: { ...process.env, GOFLAGS: '-mod=mod -buildvcs=false', GOTOOLCHAIN: 'local' },
  });
  writeFileSync(FERRETDB_STAMP, `${wanted}\n`);
  logger.info({ binary: FERRETDB_BINARY }, 'FerretDB built');
}

function launchDaemon(kind: MongoServerKind, host: string, port: number): DaemonRecord {
  const dataDir = join(MONGO_HOME, `${kind}-data`);
  mkdirSync(dataDir, { recursive: true });
  const logFile = join(MONGO_HOME, `${kind}.log`);
  switch (kind) {
    case 'mongod':
      return startDaemon({
        command: findOnPath('mongod') ?? 'mongod',
        args: ['--dbpath', dataDir, '--bind_ip', host, '--port', String(port), '--quiet'],
        cwd: MONGO_HOME,
        logFile,
      });
    case 'mongo-java-server':
      return startDaemon({
        command: javaCommand(),
        marker: 'OrderlyMongoServer',
        args: [
          '-Xms64m',
          '-Xmx512m',
          '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
          '-cp',
          `${MJS_LIBS}/*`,
          join(MJS_SOURCE, 'OrderlyMongoServer.java'),
          '--host',
          host,
          '--port',
          String(port),
          '--data-file',
          join(dataDir, 'orderly.mv'),
        ],
        cwd: MONGO_HOME,
        logFile,
      });
    case 'ferretdb':
      return startDaemon({
        command: FERRETDB_BINARY,
        args: ['-listen', `${host}:${port}`, '-data-dir', dataDir, '-log-level', 'warn'],
        cwd: MONGO_HOME,
        logFile,
      });
  }
}

const SERVER_NAME: Record<MongoServerKind, string> = {
  mongod: 'mongod',
  'mongo-java-server': `mongo-java-server ${MJS_VERSION} (H2 storage)`,
  ferretdb: 'FerretDB (SQLite storage)',
};

/** Starts the MongoDB-compatible server in the background; `waitForMongo` tells when it serves. */
export function launchMongo(
  logger: Logger,
  kind: MongoServerKind,
  host: string,
  port: number,
): ServiceRecord {
  const url = `mongodb://${host}:${port}`;
  logger.info({ url, server: kind }, 'starting the MongoDB-compatible server');
  const daemon = launchDaemon(kind, host, port);
  return { name: 'mongo', server: SERVER_NAME[kind], host, port, url, daemon };
}

/**
 * Waits until the server answers a ping, then adds the version it reports in buildInfo to
 * `record.server`, e.g. "mongo-java-server 1.47.0 (H2 storage); buildInfo: MongoDB-compatible server 5.0.0".
 */
export async function waitForMongo(record: ServiceRecord, timeoutMs = 60_000): Promise<void> {
  // A fresh client per attempt: a driver whose first connection failed does not always
  // recover within one selection timeout.
  const ping = async () => {
    if (!(await canConnect(record.host, record.port))) return false;
    const client = new MongoClient(record.url, { serverSelectionTimeoutMS: 2_000 });
    try {
      await client.db('admin').command({ ping: 1 });
      return true;
    } finally {
      await client.close();
    }
  };
  await waitUntil(ping, {
    what: `MongoDB-compatible server on ${record.url}`,
    timeoutMs,
    abortIf: () =>
      isRunning(record.daemon)
        ? undefined
        : `the server exited; its log ends with:\n${tailFile(record.daemon.logFile)}`,
  });
  const client = new MongoClient(record.url, { serverSelectionTimeoutMS: 2_000 });
  try {
    const info = await describeServer(client.db('admin'));
    record.server = `${record.server}; buildInfo: ${info.server} ${info.version}`;
  } finally {
    await client.close();
  }
}
