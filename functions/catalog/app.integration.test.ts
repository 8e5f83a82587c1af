import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { RunningInventory } from '../../services/inventory/inventory-app.js';
import type { InventoryClient } from '../../shared/grpc/inventory-client.js';
import type { HttpApp } from '../../shared/http/http-app.js';
import {
  type CatalogUnderTest,
  startCatalogUnderTest,
} from '../../test-support/catalog-under-test.js';

const productInput = (n: number, extra: Record<string, unknown> = {}) => ({
  sku: `CAT-${n}`,
  name: `Catalog Product ${n}`,
  description: `Description of product ${n}`,
  category: 'tests',
  priceCents: 1000 + n,
  currency: 'EUR',
  ...extra,
});

describe('catalog function (inject, real MongoDB and inventory)', () => {
  let catalog: CatalogUnderTest;
  let inventory: RunningInventory;
  let stock: InventoryClient;
  let app: HttpApp;
  let dbName: string;
  let tokens: CatalogUnderTest['tokens'];

  before(async () => {
    catalog = await startCatalogUnderTest('catalog');
    ({ inventory, stock, app, dbName, tokens } = catalog);
  });

  after(() => catalog.close());

  const as = (token?: string) => (token ? { authorization: `Bearer ${token}` } : {});
  const createAs = (token: string | undefined, body: object) =>
    app.inject({ method: 'POST', url: '/products', headers: as(token), payload: body });
  const create = (body: object) => createAs(tokens.admin, body);

  it('creates a product with a slug from its name and its initial stock in the inventory', async () => {
    const response = await create(productInput(1, { name: 'Café Crème 250g', initialStock: 7 }));
    assert.equal(response.statusCode, 201);
    const product = response.json();
    assert.equal(product.slug, 'cafe-creme-250g');
    assert.equal(product.priceCents, 1001);
    assert.match(product.id, /^[0-9a-f]{24}$/);
    const [level] = await stock.getStock(['CAT-1']);
    assert.equal(level?.available, 7);
  });

  it('refuses a duplicate SKU or slug with 409 CONFLICT naming the field', async () => {
    const sameSku = await create(productInput(1, { name: 'Another name' }));
    assert.equal(sameSku.statusCode, 409);
    assert.deepEqual(sameSku.json().error.code, 'CONFLICT');
    assert.equal(sameSku.json().error.details.field, 'sku');
    const sameSlug = await create(productInput(2, { name: 'Cafe creme 250G' }));
    assert.equal(sameSlug.statusCode, 409);
    assert.equal(sameSlug.json().error.details.field, 'slug');
  });

  it('lets only admins create and update; anyone may read', async () => {
    const matrix: [string, string | undefined, number][] = [
      ['anonymous', undefined, 401],
      ['customer A', tokens.customer, 403],
      ['customer B', tokens.otherCustomer, 403],
      ['admin', tokens.admin, 201],
    ];
    for (const [who, token, expected] of matrix) {
      const response = await createAs(token, productInput(10 + expected, { name: `Auth ${who}` }));
      assert.equal(response.statusCode, expected, `create as ${who}`);
    }
    const id = (await app.inject({ method: 'GET', url: '/products/auth-admin' })).json().id;
    for (const [who, token, expected] of matrix) {
      const response = await app.inject({
        method: 'PATCH',
        url: `/products/${id}`,
        headers: as(token),
        payload: { priceCents: 4242 },
      });
      assert.equal(response.statusCode, expected === 201 ? 200 : expected, `update as ${who}`);
    }
    const updated = await app.inject({ method: 'GET', url: `/products/${id}` });
    assert.equal(updated.json().priceCents, 4242);
    assert.equal(updated.json().slug, 'auth-admin', 'the slug stays as created');
  });

  it('lists newest first, page by page, with search and category filters', async () => {
    for (let n = 100; n < 105; n++) {
      const response = await create(
        productInput(n, {
          category: 'paging',
          description: n === 103 ? 'Hand-made BLUE mug' : 'plain',
        }),
      );
      assert.equal(response.statusCode, 201);
    }
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 5; page++) {
      const query = new URLSearchParams({
        category: 'paging',
        first: '2',
        ...(after ? { after } : {}),
      });
      const response = await app.inject({ method: 'GET', url: `/products?${query}` });
      assert.equal(response.statusCode, 200);
      const body = response.json();
      seen.push(...body.edges.map((edge: { node: { sku: string } }) => edge.node.sku));
      if (!body.pageInfo.hasNextPage) break;
      after = body.pageInfo.endCursor;
    }
    assert.deepEqual(seen, ['CAT-104', 'CAT-103', 'CAT-102', 'CAT-101', 'CAT-100']);

    const found = await app.inject({ method: 'GET', url: '/products?search=blue%20MUG' });
    assert.deepEqual(
      found.json().edges.map((edge: { node: { sku: string } }) => edge.node.sku),
      ['CAT-103'],
    );
    const regexLike = await app.inject({ method: 'GET', url: '/products?search=.*' });
    assert.equal(regexLike.json().edges.length, 0, 'search text is matched literally');
  });

  it('lists every category with products by name, with its product count, for anyone', async () => {
    for (const [n, category] of [
      [500, 'zz-tea'],
      [501, 'zz-tea'],
      [502, 'zz-coffee'],
    ] as const) {
      assert.equal((await create(productInput(n, { category }))).statusCode, 201);
    }
    const response = await app.inject({ method: 'GET', url: '/categories' });
    assert.equal(response.statusCode, 200);
    const categories = response.json().categories as { name: string; productCount: number }[];
    const names = categories.map((c) => c.name);
    assert.deepEqual(names, [...names].sort(), 'by name');
    assert.deepEqual(
      categories.filter((c) => c.name.startsWith('zz-')),
      [
        { name: 'zz-coffee', productCount: 1 },
        { name: 'zz-tea', productCount: 2 },
      ],
    );
  });

  it('gets one product by id or slug, and many by ids in order', async () => {
    const created = (await create(productInput(200, { name: 'Lookup One' }))).json();
    const bySlug = await app.inject({ method: 'GET', url: '/products/lookup-one' });
    const byId = await app.inject({ method: 'GET', url: `/products/${created.id}` });
    assert.equal(bySlug.json().id, created.id);
    assert.equal(byId.json().slug, 'lookup-one');
    const missing = await app.inject({ method: 'GET', url: '/products/no-such-product' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'NOT_FOUND');

    const absent = '0123456789abcdef01234567';
    const many = await app.inject({
      method: 'POST',
      url: '/products/lookup',
      payload: { ids: [absent, created.id, 'not-an-id'] },
    });
    assert.equal(many.statusCode, 200);
    const products = many.json().products;
    assert.equal(products.length, 3);
    assert.equal(products[0], null);
    assert.equal(products[1].id, created.id);
    assert.equal(products[2], null);
  });

  it('refuses invalid input on every route with 400 and the offending field', async () => {
    const id = (await create(productInput(300, { name: 'Validation Target' }))).json().id;
    const cases: [
      string,
      () => Promise<{
        statusCode: number;
        json(): { error: { code: string; details?: { field?: string } } };
      }>,
      string,
    ][] = [
      [
        'create: missing name',
        () => create({ ...productInput(301), name: undefined }),
        'body.name',
      ],
      [
        'create: price as text',
        () => create(productInput(302, { priceCents: '10' })),
        'body.priceCents',
      ],
      [
        'create: long name',
        () => create(productInput(303, { name: 'n'.repeat(201) })),
        'body.name',
      ],
      [
        'create: operator as sku',
        () => create(productInput(304, { sku: { $ne: '' } })),
        'body.sku',
      ],
      ['create: unknown key', () => create(productInput(305, { $where: '1' })), 'body.$where'],
      [
        'create: lower-case currency',
        () => create(productInput(306, { currency: 'eur' })),
        'body.currency',
      ],
      [
        'update: operator as category',
        () =>
          app.inject({
            method: 'PATCH',
            url: `/products/${id}`,
            headers: as(tokens.admin),
            payload: { category: { $gt: '' } },
          }),
        'body.category',
      ],
      [
        'update: nothing to change',
        () =>
          app.inject({
            method: 'PATCH',
            url: `/products/${id}`,
            headers: as(tokens.admin),
            payload: {},
          }),
        'body',
      ],
      [
        'update: bad id',
        () =>
          app.inject({
            method: 'PATCH',
            url: '/products/xyz',
            headers: as(tokens.admin),
            payload: { priceCents: 1 },
          }),
        'params.id',
      ],
      [
        'list: first too big',
        () => app.inject({ method: 'GET', url: '/products?first=1000' }),
        'querystring.first',
      ],
      [
        'list: operator key',
        () => app.inject({ method: 'GET', url: '/products?search[$ne]=x' }),
        'querystring.search[$ne]',
      ],
      [
        'list: forged cursor',
        () => app.inject({ method: 'GET', url: '/products?after=eyJ0IjoxfQ' }),
        'after',
      ],
      [
        'lookup: operator as id',
        () =>
          app.inject({ method: 'POST', url: '/products/lookup', payload: { ids: [{ $ne: '' }] } }),
        'body.ids.0',
      ],
    ];
    for (const [what, send, field] of cases) {
      const response = await send();
      assert.equal(response.statusCode, 400, what);
      assert.equal(response.json().error.code, 'BAD_USER_INPUT', what);
      assert.equal(response.json().error.details?.field, field, what);
    }
  });

  it('lets admins correct stock, refusing unknown SKUs, zero and non-admins', async () => {
    await create({
      sku: 'RESTOCK-1',
      name: 'Restock lamp',
      description: '',
      category: 'lamps',
      priceCents: 100,
      currency: 'EUR',
      initialStock: 2,
    });
    const restock = (token: string | undefined, sku: string, quantity: unknown) =>
      app.inject({
        method: 'POST',
        url: `/stock/${sku}`,
        headers: as(token),
        payload: { quantity },
      });
    const added = await restock(tokens.admin, 'RESTOCK-1', 5);
    assert.equal(added.statusCode, 200);
    // Version 1 is the initial stock, 2 this restock: every change counts one.
    assert.deepEqual(added.json(), {
      sku: 'RESTOCK-1',
      available: 7,
      reserved: 0,
      sold: 0,
      version: 2,
    });
    assert.equal((await restock(tokens.admin, 'RESTOCK-1', -100)).json().available, 0);
    assert.equal((await restock(tokens.customer, 'RESTOCK-1', 5)).statusCode, 403);
    assert.equal((await restock(undefined, 'RESTOCK-1', 5)).statusCode, 401);
    const unknown = await restock(tokens.admin, 'NO-SUCH-SKU', 5);
    assert.equal(unknown.statusCode, 404);
    assert.equal(unknown.json().error.code, 'NOT_FOUND');
    assert.equal((await restock(tokens.admin, 'RESTOCK-1', 0)).statusCode, 400);
    assert.equal((await restock(tokens.admin, 'RESTOCK-1', { $ne: 0 })).statusCode, 400);
  });

  it('serves the Lambda handler with an API Gateway v2 event', async () => {
    await create(productInput(400, { category: 'lambda-fixture', name: 'Lambda Fixture A' }));
    await create(productInput(401, { category: 'lambda-fixture', name: 'Lambda Fixture B' }));
    process.env.MONGODB_DB = dbName;
    process.env.INVENTORY_ADDR = `127.0.0.1:${inventory.port}`;
    const { handler } = await import('./lambda.js');
    const event = JSON.parse(
      readFileSync(
        new URL('./fixtures/api-gateway-v2-list-products.json', import.meta.url),
        'utf8',
      ),
    );
    const response = await handler(event, {} as never);
    await handler.close();
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['x-request-id'], 'lambda-fixture-1');
    assert.match(response.headers['content-type'] ?? '', /^application\/json/);
    const body = JSON.parse(response.body);
    assert.deepEqual(
      body.edges.map((edge: { node: { sku: string } }) => edge.node.sku),
      ['CAT-401', 'CAT-400'],
    );
  });
});
