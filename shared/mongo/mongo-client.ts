import { type Db, type IndexDescription, MongoClient, MongoServerError } from 'mongodb';
import type { MongoConfig } from '../config/config.js';
import type { Logger } from '../logger/logger.js';

/** The indexes one collection needs; declared next to the code that relies on them. */
export interface CollectionIndexes {
  collection: string;
  indexes: IndexDescription[];
}

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
}

/**
 * Connects one MongoDB client for the process and ensures the given indexes. Create it
 * once per process (at module scope of a Lambda handler, in `buildApp` deps of a server)
 * and close it on shutdown.
 */
export async function connectMongo(
  config: MongoConfig,
  options: ConnectMongoOptions,
): Promise<MongoConnection> {
  const logger = options.logger.child({ component: 'mongo' });
  const client = new MongoClient(config.uri, {
    appName: options.appName ?? 'orderly',
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 10_000,
  });
  await client.connect();
  const db = client.db(config.dbName);
  try {
    await ensureIndexes(db, options.indexes ?? []);
  } catch (err) {
    await client.close();
    throw err;
  }
  logger.info({ db: config.dbName }, 'connected to MongoDB');
  return {
    client,
    db,
    async close() {
      await client.close();
      logger.info('MongoDB connection closed');
    },
  };
}

/** Creates missing indexes; existing identical ones are left as they are. */
export async function ensureIndexes(db: Db, specs: readonly CollectionIndexes[]): Promise<void> {
  for (const { collection, indexes } of specs) {
    if (indexes.length > 0) await db.collection(collection).createIndexes(indexes);
  }
}

/** True for a write refused by a unique index (E11000). */
export function isDuplicateKeyError(err: unknown): boolean {
  return err instanceof MongoServerError && err.code === 11000;
}

export interface MongoServerInfo {
  /** The MongoDB version the server reports (emulators report the version they emulate). */
  version: string;
  /**
   * `mongod` for MongoDB itself (its buildInfo has a gitVersion), `FerretDB <version>` for
   * FerretDB, otherwise `MongoDB-compatible server` (mongo-java-server, DocumentDB, ...).
   */
  server: string;
}

/** Names the server behind a connection, from `buildInfo`. */
export async function describeServer(db: Db): Promise<MongoServerInfo> {
  const info = await db.admin().command({ buildInfo: 1 });
  const version = String(info.version);
  let server = 'MongoDB-compatible server';
  if (info.ferretdbVersion) server = `FerretDB ${String(info.ferretdbVersion)}`;
  else if (info.gitVersion) server = 'mongod';
  return { version, server };
}
