import {
  type Db,
  type DbOptions,
  type IndexDescription,
  MongoClient,
  type MongoClientOptions,
  MongoServerError,
  ReadConcern,
} from 'mongodb';
import type { MongoConfig } from '../config/config.js';
import type { Logger } from '../logger/logger.js';
import { traceMongoCommands } from '../telemetry/mongo-tracing.js';
import { tracingEnabled } from '../telemetry/tracing.js';
import { DuplicateKeyError } from './grouped-updates.js';

/** The indexes one collection needs; declared next to the code that relies on them. */
export interface CollectionIndexes {
  collection: string;
  indexes: IndexDescription[];
  /** Indexes an earlier version made and this one must not have (a unique key that changed). */
  retired?: string[];
}

/**
 * Every write of the platform acknowledges an order, a payment, a stock change or what leads
 * to them, so each one waits until a majority of the replica set has it in its journal: an
 * acknowledged write survives a crash of the server (and, with more members, the loss of the
 * primary). Reads see only majority-committed data, so nothing is acted on that a crash could
 * roll back. These override whatever the connection string says. The cost is measured by
 * `npm run bench -- mongo` (docs/decisions.md).
 */
export const DURABLE = {
  writeConcern: { w: 'majority', journal: true },
  readConcern: new ReadConcern('majority'),
} as const satisfies Pick<MongoClientOptions, 'writeConcern' | 'readConcern'> & DbOptions;

export interface MongoConnection {
  client: MongoClient;
  db: Db;
  close(): Promise<void>;
}

export interface ConnectMongoOptions {
  logger: Logger;
  /** Indexes to ensure before the connection is handed out. */
  indexes?: readonly CollectionIndexes[];
  appName?: string;
  /** How long to wait for a reachable server before failing (ms). */
  serverSelectionTimeoutMS?: number;
  /** Emit `commandStarted`/`commandSucceeded` events on the client (tests, diagnostics). */
  monitorCommands?: boolean;
}

function newClient(config: MongoConfig, options: ConnectMongoOptions): MongoClient {
  const appName = options.appName ?? 'orderly';
  const traced = tracingEnabled();
  const client = new MongoClient(config.uri, {
    appName,
    monitorCommands: (options.monitorCommands ?? false) || traced,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000,
    ...DURABLE,
  });
  if (traced) traceMongoCommands(client, appName.replace(/^orderly-/, ''));
  return client;
}

function connection(client: MongoClient, config: MongoConfig, logger: Logger): MongoConnection {
  // Set again on the database: a connection string's w, journal or readConcernLevel would
  // otherwise win over the client options.
  const db = client.db(config.dbName, DURABLE);
  return {
    client,
    db,
    async close() {
      await client.close();
      logger.info('MongoDB connection closed');
    },
  };
}

/**
 * Connects one MongoDB client for the process and ensures the given indexes (servers, tools
 * and tests; a Lambda function uses `openMongo`). Create it once per process and close it
 * on shutdown.
 */
export async function connectMongo(
  config: MongoConfig,
  options: ConnectMongoOptions,
): Promise<MongoConnection> {
  const logger = options.logger.child({ component: 'mongo' });
  const client = newClient(config, options);
  await client.connect();
  const opened = connection(client, config, logger);
  try {
    await ensureIndexes(opened.db, options.indexes ?? []);
  } catch (err) {
    await client.close();
    throw err;
  }
  logger.info({ db: config.dbName }, 'connected to MongoDB');
  return opened;
}

/**
 * A Lambda function's client, handed out at once while it connects, so that the connection is
 * made while the function builds its app instead of before: the function awaits `ready`
 * before it serves. `ready` rejects (and closes the client) when no server answers; the
 * driver's client cannot be used after a failed connect, so the function starts over on its
 * next invocation. No index is ensured here: `npm run migrate` creates them when the stack
 * is deployed or started (deploy/migrate/), not on a cold start.
 */
export function openMongo(
  config: MongoConfig,
  options: Omit<ConnectMongoOptions, 'indexes'>,
): MongoConnection & { ready: Promise<void> } {
  const logger = options.logger.child({ component: 'mongo' });
  const client = newClient(config, options);
  const ready = client.connect().then(
    () => logger.info({ db: config.dbName }, 'connected to MongoDB'),
    async (err: unknown) => {
      await client.close().catch(() => undefined);
      throw err;
    },
  );
  // Awaited by the function; this only keeps an early failure from being unhandled meanwhile.
  ready.catch(() => undefined);
  return { ...connection(client, config, logger), ready };
}

/** Creates missing indexes; existing identical ones are left as they are. */
export async function ensureIndexes(db: Db, specs: readonly CollectionIndexes[]): Promise<void> {
  for (const { collection, indexes, retired = [] } of specs) {
    if (retired.length > 0) {
      const existing = await db
        .collection(collection)
        .indexes()
        .catch(() => []); // no collection yet: nothing to retire
      for (const index of existing) {
        if (retired.includes(String(index.name))) {
          await db.collection(collection).dropIndex(String(index.name));
        }
      }
    }
    if (indexes.length > 0) await db.collection(collection).createIndexes(indexes);
  }
}

/** The names of the indexes each collection of `specs` has now. */
export async function indexNames(
  db: Db,
  specs: readonly CollectionIndexes[],
): Promise<Record<string, string[]>> {
  const names: Record<string, string[]> = {};
  for (const { collection } of specs) {
    const indexes = await db.collection(collection).indexes();
    names[collection] = indexes.map((index) => String(index.name));
  }
  return names;
}

/** True for a write refused by a unique index (E11000). */
export function isDuplicateKeyError(err: unknown): boolean {
  return (
    (err instanceof MongoServerError || err instanceof DuplicateKeyError) && err.code === 11000
  );
}

export interface MongoServerInfo {
  /** The MongoDB version the server reports (emulators report the version they emulate). */
  version: string;
  /**
   * `mongod` for MongoDB itself (its buildInfo has a gitVersion), otherwise
   * `MongoDB-compatible server` (mongo-java-server, DocumentDB, ...).
   */
  server: string;
  /** The replica set the server is a member of, from `hello` (none for a standalone server). */
  replicaSet?: string;
}

/** One line for reports: `mongod 6.0.5, replica set orderly` (or `…, standalone`). */
export function serverLabel(info: MongoServerInfo): string {
  return `${info.server} ${info.version}${info.replicaSet ? `, replica set ${info.replicaSet}` : ', standalone'}`;
}

/** Names the server behind a connection, from `buildInfo` and `hello`. */
export async function describeServer(db: Db): Promise<MongoServerInfo> {
  const admin = db.admin();
  const info = await admin.command({ buildInfo: 1 });
  const hello = await admin.command({ hello: 1 }).catch(() => admin.command({ isMaster: 1 }));
  return {
    version: String(info.version),
    server: info.gitVersion ? 'mongod' : 'MongoDB-compatible server',
    ...(typeof hello.setName === 'string' ? { replicaSet: hello.setName } : {}),
  };
}
