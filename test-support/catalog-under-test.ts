import { MongoClient } from 'mongodb';
import { buildApp } from '../functions/catalog/app.js';
import { CATALOG_INDEXES } from '../functions/catalog/port.js';
import { readInventoryConfig } from '../services/inventory/config.js';
import { type RunningInventory, startInventory } from '../services/inventory/inventory-app.js';
import type { AuthConfig } from '../shared/auth/auth-config.js';
import { loadConfig } from '../shared/config/config.js';
import { createInventoryClient, type InventoryClient } from '../shared/grpc/inventory-client.js';
import type { HttpApp } from '../shared/http/http-app.js';
import { connectMongo, type MongoConnection } from '../shared/mongo/mongo-client.js';
import { testLogger, uniqueName } from './integration-env.js';
import { createTestBucket, type TestBucket } from './media-bucket.js';

export const CATALOG_TEST_AUTH: AuthConfig = {
  jwtSecret: 'catalog-test-secret-that-is-long-enough-42',
  issuer: 'orderly',
  audience: 'orderly-api',
  tokenTtlSeconds: 600,
};

/**
 * The catalog function as a test drives it: built with `inject`, on a database of its own
 * (with the catalog's indexes), beside a real inventory gRPC server on a database and topic
 * of its own. `close()` stops both and drops both databases.
 */
export interface CatalogUnderTest {
  app: HttpApp;
  /** The media bucket of this catalog (its own, on LocalStack). */
  bucket: TestBucket;
  /** A client of the inventory the catalog uses. */
  stock: InventoryClient;
  inventory: RunningInventory;
  mongo: MongoConnection;
  dbName: string;
  tokens: { customer: string; otherCustomer: string; admin: string };
  /** Headers with the token as a bearer, none without one. */
  as(token?: string): Record<string, string>;
  close(): Promise<void>;
}

export async function startCatalogUnderTest(
  name: string,
  options: { uploadTtlSeconds?: number } = {},
): Promise<CatalogUnderTest> {
  const dbName = uniqueName(`it_${name}`);
  const inventoryConfig = loadConfig(readInventoryConfig, {
    ...process.env,
    MONGODB_DB: uniqueName(`it_${name}_inventory`),
    INVENTORY_GRPC_ADDR: '127.0.0.1:0',
    INVENTORY_STOCK_TOPIC: uniqueName(`it.${name}.inventory`),
    INVENTORY_STOCK_TOPIC_PARTITIONS: '1',
    INVENTORY_SHUTDOWN_DRAIN_MS: '0',
  });
  const inventory = await startInventory(inventoryConfig, testLogger());
  const stock = createInventoryClient({ address: `127.0.0.1:${inventory.port}` });
  const mongo = await connectMongo(
    { ...inventoryConfig.mongo, dbName },
    { logger: testLogger(), indexes: CATALOG_INDEXES },
  );
  const bucket = await createTestBucket(`it-${name}`);
  const app = await buildApp({
    logger: testLogger(),
    db: mongo.db,
    auth: CATALOG_TEST_AUTH,
    stock,
    media: bucket.storage,
    ...options,
  });
  await app.ready();
  const tokens = {
    customer: app.jwt.sign({ sub: 'c1', email: 'c1@example.com', role: 'CUSTOMER' }),
    otherCustomer: app.jwt.sign({ sub: 'c2', email: 'c2@example.com', role: 'CUSTOMER' }),
    admin: app.jwt.sign({ sub: 'a1', email: 'admin@example.com', role: 'ADMIN' }),
  };
  return {
    app,
    bucket,
    stock,
    inventory,
    mongo,
    dbName,
    tokens,
    as: (token): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {}),
    async close() {
      await app.close();
      await bucket.drop();
      stock.close();
      await inventory.stop();
      await mongo.db.dropDatabase();
      await mongo.close();
      const cleanup = new MongoClient(inventoryConfig.mongo.uri);
      await cleanup.db(inventoryConfig.mongo.dbName).dropDatabase();
      await cleanup.close();
    },
  };
}
