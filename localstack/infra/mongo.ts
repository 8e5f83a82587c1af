import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import type { Logger } from '../../shared/logger/logger.js';
import { describeServer } from '../../shared/mongo/mongo-client.js';
import { findOnPath, runCommand } from './commands.js';
import { isRunning, startDaemon, tailFile } from './daemon.js';
import { waitUntil } from './net.js';
import { INFRA_DIR, LOCALSTACK_DIR } from './paths.js';
import type { ServiceRecord } from './service-record.js';

const MONGO_HOME = join(INFRA_DIR, 'mongo');
const FERRETDB_SOURCE = join(LOCALSTACK_DIR, 'tools', 'ferretdb');
const FERRETDB_BINARY = join(INFRA_DIR, 'bin', 'orderly-ferretdb');
const FERRETDB_STAMP = `${FERRETDB_BINARY}.stamp`;

export type MongoServerKind = 'mongod' | 'ferretdb';

/**
 * Which server to run: `ORDERLY_MONGO_SERVER=mongod|ferretdb` decides; by default a real
 * `mongod` on PATH is preferred and FerretDB (built from the Go module proxy) is the fallback.
 */
export function chooseMongoServer(): MongoServerKind {
  const wanted = process.env.ORDERLY_MONGO_SERVER;
  if (wanted === 'mongod' || wanted === 'ferretdb') return wanted;
  if (wanted) throw new Error(`ORDERLY_MONGO_SERVER must be mongod or ferretdb, got "${wanted}"`);
  return findOnPath('mongod') ? 'mongod' : 'ferretdb';
}

function ferretSourceHash(goVersion: string): string {
  const hash = createHash('sha256').update(goVersion);
  for (const file of ['main.go', 'go.mod', 'go.sum']) {
    hash.update(readFileSync(join(FERRETDB_SOURCE, file)));
  }
  return hash.digest('hex');
}

/** Builds the FerretDB launcher when it is missing or its sources changed. */
export async function installMongo(logger: Logger, kind: MongoServerKind): Promise<void> {
  if (kind === 'mongod') return;
  if (!findOnPath('go')) {
    throw new Error('Go is needed to build FerretDB (or put a mongod on PATH, or set MONGODB_URI)');
  }
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

/** Starts the MongoDB-compatible server in the background; `waitForMongo` tells when it serves. */
export function launchMongo(
  logger: Logger,
  kind: MongoServerKind,
  host: string,
  port: number,
): ServiceRecord {
  const dataDir = join(MONGO_HOME, `${kind}-data`);
  mkdirSync(dataDir, { recursive: true });
  const url = `mongodb://${host}:${port}`;
  logger.info({ url, server: kind }, 'starting the MongoDB-compatible server');
  const logFile = join(MONGO_HOME, `${kind}.log`);
  const daemon =
    kind === 'mongod'
      ? startDaemon({
          command: findOnPath('mongod') ?? 'mongod',
          args: ['--dbpath', dataDir, '--bind_ip', host, '--port', String(port), '--quiet'],
          cwd: MONGO_HOME,
          logFile,
        })
      : startDaemon({
          command: FERRETDB_BINARY,
          args: ['-listen', `${host}:${port}`, '-data-dir', dataDir, '-log-level', 'warn'],
          cwd: MONGO_HOME,
          logFile,
        });
  return { name: 'mongo', server: kind, host, port, url, daemon };
}

/**
 * Waits until the server answers a ping, then records what it is (from buildInfo) in
 * `record.server`, e.g. "FerretDB v1.24.2 (MongoDB 7.0.42 wire protocol)".
 */
export async function waitForMongo(record: ServiceRecord, timeoutMs = 60_000): Promise<void> {
  const client = new MongoClient(record.url, {
    serverSelectionTimeoutMS: 1_000,
    connectTimeoutMS: 1_000,
  });
  try {
    await waitUntil(
      async () => {
        await client.db('admin').command({ ping: 1 });
        return true;
      },
      {
        what: `MongoDB-compatible server on ${record.url}`,
        timeoutMs,
        abortIf: () =>
          isRunning(record.daemon)
            ? undefined
            : `the server exited; its log ends with:\n${tailFile(record.daemon.logFile)}`,
      },
    );
    const info = await describeServer(client.db('admin'));
    record.server =
      info.server === 'mongod'
        ? `mongod ${info.version}`
        : `${info.server} (MongoDB ${info.version} wire protocol, SQLite storage)`;
  } finally {
    await client.close();
  }
}
