import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { AuthConfig } from '../../shared/auth/auth-config.js';
import type { HttpApp } from '../../shared/http/http-app.js';
import { ORDER_LIMITS } from '../../shared/limits/limits.js';
import { connectMongo, type MongoConnection } from '../../shared/mongo/mongo-client.js';
import { integrationConfig, testLogger, uniqueName } from '../../test-support/integration-env.js';
import { CATALOG_INDEXES, ProductStore } from '../catalog/product-store.js';
import { buildApp } from './app.js';

const auth: AuthConfig = {
  jwtSecret: 'carts-test-secret-that-is-long-enough-123',
  issuer: 'orderly',
  audience: 'orderly-api',
  tokenTtlSeconds: 600,
};

describe('carts function (inject, real MongoDB)', () => {
  const dbName = uniqueName('it_carts');
  let mongo: MongoConnection;
  let app: HttpApp;
  let alice: string;
  let bob: string;

  before(async () => {
    mongo = await connectMongo(
      { ...integrationConfig().mongo, dbName },
      { logger: testLogger(), indexes: CATALOG_INDEXES },
    );
    const products = new ProductStore(mongo.db);
    const base = { description: '', category: 'carts', currency: 'EUR' };
    await products.create({ ...base, sku: 'MUG', name: 'Mug', priceCents: 1200 });
    await products.create({ ...base, sku: 'TEE', name: 'Tee', priceCents: 2500 });
    await products.create({
      ...base,
      sku: 'USD-CAP',
      name: 'Cap',
      priceCents: 900,
      currency: 'USD',
    });
    app = await buildApp({ logger: testLogger(), db: mongo.db, auth });
    await app.ready();
    alice = app.jwt.sign({ sub: 'alice', email: 'alice@example.com', role: 'CUSTOMER' });
    bob = app.jwt.sign({ sub: 'bob', email: 'bob@example.com', role: 'CUSTOMER' });
  });

  after(async () => {
    await app.close();
    await mongo.db.dropDatabase();
    await mongo.close();
  });

  const call = (
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    token?: string,
    payload?: object,
  ) =>
    app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload ? { payload } : {}),
    });

  it('sums quantities per SKU and prices lines from the catalog', async () => {
    await call('POST', '/cart/items', alice, { sku: 'MUG', quantity: 2 });
    await call('POST', '/cart/items', alice, { sku: 'TEE', quantity: 1 });
    const cart = (await call('POST', '/cart/items', alice, { sku: 'MUG', quantity: 3 })).json();
    assert.deepEqual(
      cart.items.map((item: { sku: string; quantity: number; lineTotalCents: number }) => [
        item.sku,
        item.quantity,
        item.lineTotalCents,
      ]),
      [
        ['MUG', 5, 6000],
        ['TEE', 1, 2500],
      ],
    );
    assert.equal(cart.subtotalCents, 8500);
    assert.equal(cart.currency, 'EUR');
    assert.equal(cart.items[0].product.name, 'Mug');
  });

  it('adds concurrently without losing an increment', async () => {
    await Promise.all(
      Array.from({ length: 10 }, () =>
        call('POST', '/cart/items', bob, { sku: 'TEE', quantity: 1 }),
      ),
    );
    const cart = (await call('GET', '/cart', bob)).json();
    assert.deepEqual(
      cart.items.map((item: { quantity: number }) => item.quantity),
      [10],
    );
  });

  it("shows a variant's line with the variant, its title and its price", async () => {
    const products = new ProductStore(mongo.db);
    await products.create({
      description: '',
      category: 'carts',
      currency: 'EUR',
      sku: 'SOCK-S',
      name: 'Socks',
      priceCents: 800,
      variantOptions: [{ name: 'Size', value: 'S' }],
      variants: [{ sku: 'SOCK-L', priceCents: 900, options: [{ name: 'Size', value: 'L' }] }],
    });
    const cart = (await call('POST', '/cart/items', bob, { sku: 'SOCK-L', quantity: 2 })).json();
    const line = cart.items.find((item: { sku: string }) => item.sku === 'SOCK-L');
    assert.equal(line.variant.title, 'L');
    assert.equal(line.variant.priceCents, 900);
    assert.equal(line.product.name, 'Socks');
    assert.equal(line.lineTotalCents, 1800);
    await call('PUT', '/cart/items/SOCK-L', bob, { quantity: 0 });
  });

  it('uses the catalog price at read time', async () => {
    await new ProductStore(mongo.db).updateVariant('MUG', { priceCents: 1000 });
    const cart = (await call('GET', '/cart', alice)).json();
    assert.equal(cart.items[0].lineTotalCents, 5000);
    assert.equal(cart.subtotalCents, 7500);
  });

  it('sets a quantity, removes a line with 0, and clears', async () => {
    let cart = (await call('PUT', '/cart/items/TEE', alice, { quantity: 4 })).json();
    assert.equal(cart.items.find((item: { sku: string }) => item.sku === 'TEE').quantity, 4);
    cart = (await call('PUT', '/cart/items/MUG', alice, { quantity: 0 })).json();
    assert.deepEqual(
      cart.items.map((item: { sku: string }) => item.sku),
      ['TEE'],
    );
    cart = (await call('DELETE', '/cart', alice)).json();
    assert.deepEqual(cart, { items: [], subtotalCents: 0, currency: 'EUR' });
  });

  it('keeps each user to their own cart and requires a token', async () => {
    const admin = app.jwt.sign({ sub: 'root', email: 'admin@example.com', role: 'ADMIN' });
    const adminCart = (await call('GET', '/cart', admin)).json();
    assert.deepEqual(adminCart.items, [], "an admin has a cart of their own, not other users'");
    const bobs = (await call('GET', '/cart', bob)).json();
    assert.equal(bobs.items[0].sku, 'TEE');
    assert.equal(bobs.items[0].quantity, 10);
    for (const [method, url, payload] of [
      ['GET', '/cart', undefined],
      ['POST', '/cart/items', { sku: 'MUG', quantity: 1 }],
      ['PUT', '/cart/items/MUG', { quantity: 1 }],
      ['DELETE', '/cart', undefined],
    ] as const) {
      const response = await call(method, url, undefined, payload);
      assert.equal(response.statusCode, 401, `${method} ${url}`);
    }
  });

  it('refuses unknown SKUs, other currencies and invalid input', async () => {
    const unknown = await call('POST', '/cart/items', alice, { sku: 'NOPE', quantity: 1 });
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json().error.details.field, 'sku');
    const otherCurrency = await call('POST', '/cart/items', bob, { sku: 'USD-CAP', quantity: 1 });
    assert.equal(otherCurrency.statusCode, 409);
    const cases: [string, object, string][] = [
      ['zero', { sku: 'MUG', quantity: 0 }, 'body.quantity'],
      ['over 100', { sku: 'MUG', quantity: 101 }, 'body.quantity'],
      ['text quantity', { sku: 'MUG', quantity: '2' }, 'body.quantity'],
      ['operator sku', { sku: { $ne: '' }, quantity: 1 }, 'body.sku'],
      ['missing sku', { quantity: 1 }, 'body.sku'],
    ];
    for (const [what, payload, field] of cases) {
      const response = await call('POST', '/cart/items', alice, payload);
      assert.equal(response.statusCode, 400, what);
      assert.equal(response.json().error.details.field, field, what);
    }
  });

  it('refuses a product more than an order may hold, and units past the line limit, with the limit named', async () => {
    const products = new ProductStore(mongo.db);
    const base = { description: '', category: 'bulk', currency: 'EUR', priceCents: 100 };
    const skus = Array.from({ length: ORDER_LIMITS.maxLines + 1 }, (_, i) => `BULK-${i}`);
    for (const sku of skus) await products.create({ ...base, sku, name: sku });
    const carol = app.jwt.sign({ sub: 'carol', email: 'carol@example.com', role: 'CUSTOMER' });
    // Filled concurrently: the guard is in the update, not in a read before it.
    const added = await Promise.all(
      skus.map((sku) => call('POST', '/cart/items', carol, { sku, quantity: 1 })),
    );
    const refused = added.filter((response) => response.statusCode === 400);
    assert.equal(refused.length, 1, 'exactly one line over the limit is refused');
    assert.equal(refused[0]?.json().error.code, 'BAD_USER_INPUT');
    assert.equal(refused[0]?.json().error.details.limit, ORDER_LIMITS.maxLines);
    assert.match(refused[0]?.json().error.message, /at most 50 different products/);
    assert.equal((await call('GET', '/cart', carol)).json().items.length, ORDER_LIMITS.maxLines);

    const inCart = skus.find((_, i) => added[i]?.statusCode === 200) ?? '';
    const units = ORDER_LIMITS.maxQuantityPerLine;
    assert.equal(
      (await call('PUT', `/cart/items/${inCart}`, carol, { quantity: units })).statusCode,
      200,
    );
    const over = await call('POST', '/cart/items', carol, { sku: inCart, quantity: 1 });
    assert.equal(over.statusCode, 400);
    assert.equal(over.json().error.details.field, 'quantity');
  });

  it('serves the Lambda handler with an API Gateway v2 event', async () => {
    process.env.MONGODB_DB = dbName;
    process.env.JWT_SECRET = auth.jwtSecret;
    const { handler } = await import('./lambda.js');
    const event = JSON.parse(
      readFileSync(new URL('./fixtures/api-gateway-v2-get-cart.json', import.meta.url), 'utf8'),
    );
    event.headers.authorization = `Bearer ${bob}`;
    const response = await handler(event, {} as never);
    await handler.close();
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['x-request-id'], 'lambda-cart-1');
    assert.equal(JSON.parse(response.body).items[0].sku, 'TEE');
  });
});
