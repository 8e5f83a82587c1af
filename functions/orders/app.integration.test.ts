import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { AuthConfig } from '../../shared/auth/auth-config.js';
import type { HttpApp } from '../../shared/http/http-app.js';
import { ORDER_LIMITS } from '../../shared/limits/limits.js';
import { connectMongo, type MongoConnection } from '../../shared/mongo/mongo-client.js';
import { integrationConfig, testLogger, uniqueName } from '../../test-support/integration-env.js';
import { CartStore } from '../carts/cart-store.js';
import { CATALOG_INDEXES, ProductStore } from '../catalog/product-store.js';
import { buildApp } from './app.js';
import { ORDER_INDEXES } from './order-store.js';

const auth: AuthConfig = {
  jwtSecret: 'orders-test-secret-that-is-long-enough-456',
  issuer: 'orderly',
  audience: 'orderly-api',
  tokenTtlSeconds: 600,
};
const address = {
  name: 'Ada Lovelace',
  line1: '12 St James Sq',
  city: 'London',
  postalCode: 'SW1Y 4JH',
  country: 'GB',
};

describe('orders function (inject, real MongoDB)', () => {
  const dbName = uniqueName('it_orders');
  let mongo: MongoConnection;
  let app: HttpApp;
  let carts: CartStore;
  let tokens: { alice: string; bob: string; admin: string };

  before(async () => {
    mongo = await connectMongo(
      { ...integrationConfig().mongo, dbName },
      { logger: testLogger(), indexes: [...CATALOG_INDEXES, ...ORDER_INDEXES] },
    );
    const products = new ProductStore(mongo.db);
    const base = { description: '', category: 'orders', currency: 'EUR' };
    await products.create({ ...base, sku: 'MUG', name: 'Mug', priceCents: 1200 });
    await products.create({ ...base, sku: 'TEE', name: 'Tee', priceCents: 2500 });
    await products.create({
      ...base,
      sku: 'SHIRT-S-RED',
      name: 'Shirt',
      priceCents: 3000,
      variantOptions: [
        { name: 'Size', value: 'S' },
        { name: 'Colour', value: 'Red' },
      ],
      variants: [
        {
          sku: 'SHIRT-M-BLUE',
          priceCents: 3200,
          options: [
            { name: 'Size', value: 'M' },
            { name: 'Colour', value: 'Blue' },
          ],
        },
      ],
    });
    carts = new CartStore(mongo.db);
    app = await buildApp({ logger: testLogger(), db: mongo.db, auth });
    await app.ready();
    tokens = {
      alice: app.jwt.sign({ sub: 'alice', email: 'alice@example.com', role: 'CUSTOMER' }),
      bob: app.jwt.sign({ sub: 'bob', email: 'bob@example.com', role: 'CUSTOMER' }),
      admin: app.jwt.sign({ sub: 'root', email: 'admin@example.com', role: 'ADMIN' }),
    };
  });

  after(async () => {
    await app.close();
    await mongo.db.dropDatabase();
    await mongo.close();
  });

  const call = (method: 'GET' | 'POST', url: string, token?: string, payload?: object) =>
    app.inject({
      method,
      url,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload ? { payload } : {}),
    });
  const checkout = (token: string, idempotencyKey: string, extra: object = {}) =>
    call('POST', '/orders', token, {
      idempotencyKey,
      paymentToken: 'tok_visa',
      shippingAddress: address,
      ...extra,
    });

  it("orders a variant by its SKU, at the variant's price, with its title", async () => {
    const carol = app.jwt.sign({ sub: 'carol', email: 'carol@example.com', role: 'CUSTOMER' });
    await carts.add('carol', 'SHIRT-M-BLUE', 2);
    const response = await checkout(carol, 'carol-variant-order-1');
    assert.equal(response.statusCode, 201, response.body);
    assert.deepEqual(response.json().items, [
      {
        sku: 'SHIRT-M-BLUE',
        name: 'Shirt',
        variantTitle: 'M / Blue',
        quantity: 2,
        unitPriceCents: 3200,
      },
    ]);
    assert.equal(response.json().totalCents, 6400);
    const stored = await mongo.db
      .collection('orders')
      .findOne({ idempotencyKey: 'carol-variant-order-1' });
    assert.equal(stored?.outbox[0].data.items[0].variantTitle, 'M / Blue');
  });

  it('places a PENDING order priced from the catalog, with its OrderPlaced event, and empties the cart', async () => {
    await carts.add('alice', 'MUG', 2);
    await carts.add('alice', 'TEE', 1);
    const response = await checkout(tokens.alice, 'alice-order-0001');
    assert.equal(response.statusCode, 201);
    const order = response.json();
    assert.equal(order.status, 'PENDING');
    assert.deepEqual(order.items, [
      { sku: 'MUG', name: 'Mug', variantTitle: 'Default', quantity: 2, unitPriceCents: 1200 },
      { sku: 'TEE', name: 'Tee', variantTitle: 'Default', quantity: 1, unitPriceCents: 2500 },
    ]);
    assert.equal(order.totalCents, 4900);
    assert.deepEqual(
      order.history.map((change: { status: string }) => change.status),
      ['PENDING'],
    );
    assert.deepEqual(await carts.lines('alice'), []);
    const stored = await mongo.db
      .collection('orders')
      .findOne({ idempotencyKey: 'alice-order-0001' });
    assert.equal(stored?.outbox.length, 1);
    assert.equal(stored?.outbox[0].type, 'OrderPlaced');
    assert.equal(stored?.outbox[0].subject, order.id);
    assert.equal(stored?.outbox[0].data.userId, 'alice');
    assert.equal(stored?.outbox[0].data.totalCents, 4900);
    // The card token went to the payment provider, which opened the payment; the order and
    // its event hold only the provider's reference.
    assert.equal(stored?.paymentReference, `pay_test_${order.id}`);
    assert.doesNotMatch(JSON.stringify(stored), /tok_visa/);
    const opened = await mongo.db
      .collection('test_provider_charges')
      .findOne({ _id: order.id as never });
    assert.equal(opened?.amountCents, 4900);
    assert.equal(opened?.calls, 0, 'opened, not asked for yet');
  });

  it('gives 20 concurrent checkouts with one key one order; other keys get other orders', async () => {
    await carts.add('bob', 'TEE', 3);
    const replies = await Promise.all(
      Array.from({ length: 20 }, () => checkout(tokens.bob, 'bob-same-key-01')),
    );
    const ids = new Set(replies.map((reply) => reply.json().id));
    assert.equal(ids.size, 1, replies.map((reply) => reply.statusCode).join(','));
    assert.equal(replies.filter((reply) => reply.statusCode === 201).length, 1);
    assert.ok(replies.every((reply) => reply.statusCode === 201 || reply.statusCode === 200));
    assert.equal(await mongo.db.collection('orders').countDocuments({ userId: 'bob' }), 1);

    await carts.add('bob', 'MUG', 1);
    // A late repeat of the first key, with something new in the cart: the first order, and
    // the cart left for the next checkout.
    const late = await checkout(tokens.bob, 'bob-same-key-01');
    assert.equal(late.statusCode, 200);
    assert.equal(late.json().id, [...ids][0]);
    assert.deepEqual(
      (await carts.lines('bob')).map((line) => line.sku),
      ['MUG'],
    );
    const second = await checkout(tokens.bob, 'bob-other-key-02');
    assert.equal(second.statusCode, 201);
    assert.notEqual(second.json().id, [...ids][0]);
  });

  it('never takes a price from the client', async () => {
    await carts.add('alice', 'MUG', 1);
    const withPrice = await checkout(tokens.alice, 'alice-price-0002', {
      totalCents: 1,
      items: [{ sku: 'MUG', unitPriceCents: 1 }],
    });
    assert.equal(withPrice.statusCode, 400, 'prices are not part of a checkout');
    const placed = await checkout(tokens.alice, 'alice-price-0002');
    assert.equal(placed.json().items[0].unitPriceCents, 1200);
    assert.equal(placed.json().totalCents, 1200);
  });

  it('shows an order to its owner and admins only; others get 404', async () => {
    const order = (await call('GET', '/orders?first=1', tokens.alice)).json().edges[0].node;
    assert.equal((await call('GET', `/orders/${order.id}`, tokens.alice)).statusCode, 200);
    assert.equal((await call('GET', `/orders/${order.id}`, tokens.admin)).statusCode, 200);
    const other = await call('GET', `/orders/${order.id}`, tokens.bob);
    assert.equal(other.statusCode, 404);
    assert.equal(other.json().error.code, 'NOT_FOUND');
    assert.equal((await call('GET', `/orders/${order.id}`)).statusCode, 401);
    assert.equal((await call('POST', `/orders/${order.id}/cancel`, tokens.bob)).statusCode, 404);
  });

  it('lists own orders newest first, page by page', async () => {
    const keys: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 5; page++) {
      const query = new URLSearchParams({ first: '1', ...(after ? { after } : {}) });
      const body = (await call('GET', `/orders?${query}`, tokens.alice)).json();
      keys.push(
        ...body.edges.map((edge: { node: { totalCents: number } }) => String(edge.node.totalCents)),
      );
      if (!body.pageInfo.hasNextPage) break;
      after = body.pageInfo.endCursor;
    }
    assert.deepEqual(keys, ['1200', '4900']);
  });

  it('cancels once, with the reason and an OrderCancelled event', async () => {
    const order = (await call('GET', '/orders?first=1', tokens.alice)).json().edges[0].node;
    const cancelled = await call('POST', `/orders/${order.id}/cancel`, tokens.alice);
    assert.equal(cancelled.statusCode, 200);
    assert.equal(cancelled.json().status, 'CANCELLED');
    assert.equal(cancelled.json().cancellationReason, 'CANCELLED_BY_CUSTOMER');
    assert.deepEqual(
      cancelled.json().history.map((change: { status: string }) => change.status),
      ['PENDING', 'CANCELLED'],
    );
    const again = await call('POST', `/orders/${order.id}/cancel`, tokens.alice);
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'INVALID_STATE');
    const stored = await mongo.db
      .collection('orders')
      .findOne({ idempotencyKey: 'alice-price-0002' });
    assert.deepEqual(
      stored?.outbox.map((event: { type: string }) => event.type),
      ['OrderPlaced', 'OrderCancelled'],
    );
  });

  it('refuses an empty cart, anonymous callers and invalid input', async () => {
    const empty = await checkout(tokens.alice, 'alice-empty-0003');
    assert.equal(empty.statusCode, 400);
    assert.equal(empty.json().error.details.field, 'cart');
    assert.equal((await call('POST', '/orders', undefined, {})).statusCode, 401);
    assert.equal((await call('GET', '/orders')).statusCode, 401);
    const cases: [string, object, string][] = [
      ['short key', { idempotencyKey: 'short' }, 'body.idempotencyKey'],
      ['operator key', { idempotencyKey: { $ne: '' } }, 'body.idempotencyKey'],
      [
        'missing city',
        { shippingAddress: { ...address, city: undefined } },
        'body.shippingAddress.city',
      ],
      [
        'bad country',
        { shippingAddress: { ...address, country: 'Britain' } },
        'body.shippingAddress.country',
      ],
      ['extra key', { $where: '1' }, 'body.$where'],
    ];
    for (const [what, extra, field] of cases) {
      const response = await call('POST', '/orders', tokens.alice, {
        idempotencyKey: 'valid-key-0004',
        paymentToken: 'tok_visa',
        shippingAddress: address,
        ...extra,
      });
      assert.equal(response.statusCode, 400, what);
      assert.equal(response.json().error.details.field, field, what);
    }
  });

  it('refuses a cart larger than an order may hold, or one whose OrderPlaced would break its schema, storing nothing', async () => {
    const carts = mongo.db.collection<{ _id: string; items: object[]; updatedAt: Date }>('carts');
    const lines = Array.from({ length: ORDER_LIMITS.maxLines + 1 }, () => ({
      sku: 'MUG',
      quantity: 1,
    }));
    // A cart filled before the cap existed.
    await carts.updateOne(
      { _id: 'bob' },
      { $set: { items: lines, updatedAt: new Date() } },
      { upsert: true },
    );
    const tooBig = await checkout(tokens.bob, 'bob-big-cart-0001');
    assert.equal(tooBig.statusCode, 400);
    assert.equal(tooBig.json().error.details.field, 'cart');
    assert.match(tooBig.json().error.message, /at most 50 different products/);
    // A product whose name the event schema refuses (written around the catalog's checks).
    await mongo.db
      .collection('products')
      .updateOne({ sku: 'TEE' }, { $set: { name: 'x'.repeat(201) } });
    await carts.updateOne({ _id: 'bob' }, { $set: { items: [{ sku: 'TEE', quantity: 1 }] } });
    const invalid = await checkout(tokens.bob, 'bob-long-name-0002');
    await mongo.db.collection('products').updateOne({ sku: 'TEE' }, { $set: { name: 'Tee' } });
    assert.equal(invalid.statusCode, 400);
    assert.equal(invalid.json().error.code, 'BAD_USER_INPUT');
    assert.match(invalid.json().error.message, /cannot be checked out/);
    assert.equal(
      await mongo.db.collection('orders').countDocuments({
        idempotencyKey: { $in: ['bob-big-cart-0001', 'bob-long-name-0002'] },
      }),
      0,
    );
  });

  it('serves the Lambda handler with an API Gateway v2 event', async () => {
    process.env.MONGODB_DB = dbName;
    process.env.JWT_SECRET = auth.jwtSecret;
    const { handler } = await import('./lambda.js');
    const event = JSON.parse(
      readFileSync(new URL('./fixtures/api-gateway-v2-list-orders.json', import.meta.url), 'utf8'),
    );
    event.headers.authorization = `Bearer ${tokens.bob}`;
    const response = await handler(event, {} as never);
    await handler.close();
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['x-request-id'], 'lambda-orders-1');
    assert.equal(JSON.parse(response.body).edges.length, 1);
  });
});
