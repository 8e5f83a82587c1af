import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MongoClient } from 'mongodb';
import { integrationConfig, uniqueName } from '../../test-support/integration-env.js';
import { ProductStore } from '../catalog/product-store.js';
import { DATABASE_INDEXES } from './database-indexes.js';

const apiEvent = (path: string, query = '') => ({
  version: '2.0',
  routeKey: '$default',
  rawPath: path,
  rawQueryString: query,
  headers: { host: 'test' },
  requestContext: {
    http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
    requestId: 'migrate-test',
    stage: '$default',
  },
  isBase64Encoded: false,
});

/**
 * Indexes are made by the migrate function when the stack is deployed (and by `npm start`),
 * not by a function's cold start: a function serves a fresh database without creating any,
 * and the migration creates every declared one, again without change when run twice.
 */
describe('database migration (real mongod)', () => {
  const { mongo } = integrationConfig();
  const dbName = uniqueName('it_migrate');
  const client = new MongoClient(mongo.uri);
  const saved = { ...process.env };

  before(async () => {
    await client.connect();
    Object.assign(process.env, {
      NODE_ENV: 'production',
      LOG_LEVEL: 'error',
      MONGODB_URI: mongo.uri,
      MONGODB_DB: dbName,
      JWT_SECRET: 'migrate-test-secret-that-is-long-enough-0123',
      INVENTORY_ADDR: '127.0.0.1:1',
      KAFKA_BROKERS: '127.0.0.1:9092',
      MEDIA_BUCKET: 'orderly-media-migrate-test',
      MEDIA_BASE_URL: 'https://media.example.org',
      AWS_REGION: 'eu-west-1',
    });
  });

  after(async () => {
    process.env = saved;
    await client.db(dbName).dropDatabase();
    await client.close();
  });

  const namesOf = async (collection: string) =>
    (await client.db(dbName).collection(collection).indexes()).map((index) => index.name);

  it('a cold start serves from the database and creates no index', async () => {
    await new ProductStore(client.db(dbName)).create({
      sku: 'MIG-1',
      name: 'Jar',
      description: '',
      category: 'kitchen',
      currency: 'EUR',
      priceCents: 450,
    });
    const { handler } = await import('../catalog/lambda.js');
    try {
      const response = await handler(apiEvent('/products', 'first=1') as never, {} as never);
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(JSON.parse(response.body).edges[0]?.node.sku, 'MIG-1');
      assert.deepEqual(await namesOf('products'), ['_id_']);
    } finally {
      await handler.close();
    }
  });

  it('turns products from before variants into one-variant products, once', async () => {
    const products = client.db(dbName).collection('products');
    const createdAt = new Date('2026-11-30T10:00:00Z');
    await products.insertOne({
      sku: 'LEGACY-1',
      slug: 'legacy-lamp',
      name: 'Legacy Lamp',
      description: 'From before variants',
      category: 'home',
      priceCents: 3900,
      currency: 'EUR',
      createdAt,
      updatedAt: createdAt,
    });
    const { handler } = await import('./lambda.js');
    await handler();
    const migrated = await products.findOne({ sku: 'LEGACY-1' });
    assert.deepEqual(
      migrated?.variants.map((v: Record<string, unknown>) => [
        v.sku,
        v.title,
        v.priceCents,
        v.options,
      ]),
      [['LEGACY-1', 'Default', 3900, []]],
    );
    assert.deepEqual(migrated?.options, []);
    assert.equal(migrated?.priceMin, 3900);

    await handler();
    const again = await products.findOne({ sku: 'LEGACY-1' });
    assert.deepEqual(again, migrated, 'a second run changes nothing');

    // The catalog serves it as a product of the commerce contract.
    const { handler: catalog } = await import('../catalog/lambda.js');
    try {
      const response = await catalog(apiEvent('/products/legacy-lamp') as never, {} as never);
      assert.equal(response.statusCode, 200, response.body);
      const body = JSON.parse(response.body);
      assert.equal(body.variants[0].sku, 'LEGACY-1');
      assert.equal(body.variants[0].title, 'Default');
    } finally {
      await catalog.close();
    }
  });

  it('creates every declared index, and changes nothing when run again', async () => {
    const { handler } = await import('./lambda.js');
    const first = await handler();
    for (const { collection, indexes } of DATABASE_INDEXES) {
      const names = await namesOf(collection);
      for (const index of indexes) {
        assert.ok(names.includes(String(index.name)), `${collection} has ${index.name}`);
      }
      assert.deepEqual(first.collections[collection], names);
    }
    assert.deepEqual(await handler(), first);
  });
});
