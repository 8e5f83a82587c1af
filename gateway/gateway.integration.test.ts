import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildFunctionApps } from '../localstack/platform/function-apps.js';
import type { AuthConfig } from '../shared/auth/auth-config.js';
import { createInventoryClient, type InventoryClient } from '../shared/grpc/inventory-client.js';
import type { HttpApp } from '../shared/http/http-app.js';
import { CheckoutHarness } from '../test-support/checkout-harness.js';
import { testLogger } from '../test-support/integration-env.js';
import { buildGateway } from './app.js';
import type { FunctionInvoker } from './invokers/function-invoker.js';
import { InProcessInvoker } from './invokers/in-process-invoker.js';
import { gatewaySettings } from './settings.js';

const auth: AuthConfig = {
  jwtSecret: 'gateway-test-secret-that-is-long-enough-789',
  issuer: 'orderly',
  audience: 'orderly-api',
  tokenTtlSeconds: 600,
};
const ADMIN = { email: 'admin@orderly.test', password: 'admin-password-123' };
const ADDRESS = {
  name: 'Ada',
  line1: '1 Main St',
  city: 'London',
  postalCode: 'N1 9GU',
  country: 'GB',
};

interface GraphQLReply {
  statusCode: number;
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field; a missing one fails the test
  data: any;
  errors?: { message: string; extensions: { code: string } }[];
}

describe('GraphQL gateway (HTTP; real functions, database, Kafka and inventory)', () => {
  let harness: CheckoutHarness;
  let inventory: InventoryClient;
  let gateway: HttpApp;
  const counts = { functions: 0, stock: 0 };
  const tokens: Record<string, string> = {};

  before(async () => {
    harness = await CheckoutHarness.start();
    inventory = createInventoryClient({ address: harness.platform.inventoryAddress });
    const apps = await buildFunctionApps({
      logger: testLogger(),
      db: harness.db,
      auth,
      stock: inventory,
      publisher: harness.bus.publisher,
      admin: ADMIN,
    });
    const inProcess = new InProcessInvoker(apps);
    const counting: FunctionInvoker = {
      invoke: (fn, request) => {
        counts.functions += 1;
        return inProcess.invoke(fn, request);
      },
      close: () => inProcess.close(),
    };
    gateway = await buildGateway({
      logger: testLogger(),
      invoker: counting,
      stock: {
        getStock: (skus) => {
          counts.stock += 1;
          return inventory.getStock(skus);
        },
      },
      settings: gatewaySettings({ limits: { introspection: true }, rateLimitPerMinute: 100_000 }),
    });
    gateway.addHook('onClose', () => counting.close?.());
    await gateway.ready();
  });

  after(async () => {
    await gateway?.close();
    inventory?.close();
    await harness?.stop();
  });

  async function gql(query: string, variables: object = {}, token?: string): Promise<GraphQLReply> {
    const response = await gateway.inject({
      method: 'POST',
      url: '/graphql',
      headers: token ? { authorization: `Bearer ${token}` } : {},
      payload: { query, variables },
    });
    return { statusCode: response.statusCode, ...response.json() };
  }
  const codeOf = (reply: GraphQLReply) => reply.errors?.[0]?.extensions.code;
  const reset = () => {
    counts.functions = 0;
    counts.stock = 0;
  };

  it('registers, logs in and answers me; a wrong password is UNAUTHENTICATED', async () => {
    const registered = await gql(
      'mutation($input: RegisterInput!) { register(input: $input) { token user { email role } } }',
      { input: { email: 'Grace@Example.com', password: 'correct-horse-1', name: 'Grace' } },
    );
    assert.deepEqual((registered.data.register as { user: unknown }).user, {
      email: 'grace@example.com',
      role: 'CUSTOMER',
    });
    const login = await gql(
      'mutation { login(email: "grace@example.com", password: "correct-horse-1") { token } }',
    );
    tokens.grace = (login.data.login as { token: string }).token;
    const me = await gql('{ me { email name role } }', {}, tokens.grace);
    assert.deepEqual(me.data.me, { email: 'grace@example.com', name: 'Grace', role: 'CUSTOMER' });
    assert.equal((await gql('{ me { email } }')).data.me, null);
    assert.equal((await gql('{ me { email } }', {}, 'not-a-token')).data.me, null);
    const wrong = await gql(
      'mutation { login(email: "grace@example.com", password: "wrong-horse-1") { token } }',
    );
    assert.equal(codeOf(wrong), 'UNAUTHENTICATED');
    const admin = await gql(
      `mutation { login(email: "${ADMIN.email}", password: "${ADMIN.password}") { token user { role } } }`,
    );
    tokens.admin = (admin.data.login as { token: string }).token;
    const other = await gql(
      'mutation($input: RegisterInput!) { register(input: $input) { token } }',
      { input: { email: 'hopper@example.com', password: 'correct-horse-2', name: 'Hopper' } },
    );
    tokens.hopper = (other.data.register as { token: string }).token;
    const again = await gql(
      'mutation($input: RegisterInput!) { register(input: $input) { token } }',
      { input: { email: 'hopper@example.com', password: 'correct-horse-2', name: 'Hopper' } },
    );
    // A taken address is not revealed: the answer is a token, for an account of its own.
    const laterToken = (again.data?.register as { token?: string } | undefined)?.token;
    assert.ok(laterToken && laterToken !== tokens.hopper, JSON.stringify(again));
    const weak = await gql(
      'mutation($input: RegisterInput!) { register(input: $input) { token } }',
      { input: { email: 'weak@example.com', password: 'short', name: 'Weak' } },
    );
    assert.equal(codeOf(weak), 'BAD_USER_INPUT');
  });

  it('logs out a token and changes a password through the contract; requestPasswordReset is always true', async () => {
    await gql('mutation($input: RegisterInput!) { register(input: $input) { token } }', {
      input: { email: 'ken@example.com', password: 'unix-password-1', name: 'Ken' },
    });
    const signIn = async (password: string) =>
      (
        (
          await gql(
            'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
            {
              e: 'ken@example.com',
              p: password,
            },
          )
        ).data?.login as { token: string } | undefined
      )?.token;
    const first = (await signIn('unix-password-1')) ?? '';
    const second = (await signIn('unix-password-1')) ?? '';
    assert.deepEqual((await gql('mutation { logout }', {}, first)).data, { logout: true });
    assert.equal((await gql('{ me { email } }', {}, first)).data.me, null);
    assert.equal(codeOf(await gql('{ cart { subtotalCents } }', {}, first)), 'UNAUTHENTICATED');
    assert.deepEqual((await gql('{ me { email } }', {}, second)).data.me, {
      email: 'ken@example.com',
    });
    const changed = await gql(
      'mutation { changePassword(currentPassword: "unix-password-1", newPassword: "plan-nine-2") }',
      {},
      second,
    );
    assert.deepEqual(changed.data, { changePassword: true });
    assert.equal((await gql('{ me { email } }', {}, second)).data.me, null);
    assert.ok(await signIn('plan-nine-2'));
    for (const email of ['ken@example.com', 'nobody-here@example.com']) {
      const asked = await gql('mutation($e: String!) { requestPasswordReset(email: $e) }', {
        e: email,
      });
      assert.deepEqual(asked.data, { requestPasswordReset: true });
    }
    const badLink = await gql(
      'mutation { resetPassword(token: "made-up-token", newPassword: "whatever-pass-3") }',
    );
    assert.equal(codeOf(badLink), 'BAD_USER_INPUT');
  });

  it('lets admins create, update and restock products; customers get FORBIDDEN, strangers UNAUTHENTICATED', async () => {
    const create = (token: string | undefined, sku: string, initialStock = 10) =>
      gql(
        'mutation($input: ProductInput!) { createProduct(input: $input) { id sku slug stock { available reserved } } }',
        {
          input: {
            sku,
            name: `Lamp ${sku}`,
            description: 'A lamp',
            category: 'lamps',
            priceCents: 2500,
            currency: 'EUR',
            initialStock,
          },
        },
        token,
      );
    const created = await create(tokens.admin, 'GW-LAMP');
    assert.deepEqual((created.data.createProduct as { stock: unknown }).stock, {
      available: 10,
      reserved: 0,
    });
    assert.equal(codeOf(await create(tokens.grace, 'GW-NOPE')), 'FORBIDDEN');
    assert.equal(codeOf(await create(undefined, 'GW-NOPE')), 'UNAUTHENTICATED');
    assert.equal(codeOf(await create(tokens.admin, 'GW-LAMP')), 'CONFLICT');
    const id = (created.data.createProduct as { id: string }).id;
    const updated = await gql(
      'mutation($id: ID!) { updateProduct(id: $id, input: { priceCents: 2700 }) { priceCents } }',
      { id },
      tokens.admin,
    );
    assert.deepEqual(updated.data.updateProduct, { priceCents: 2700 });
    const missing = await gql(
      'mutation { updateProduct(id: "000000000000000000000000", input: { priceCents: 1 }) { id } }',
      {},
      tokens.admin,
    );
    assert.equal(codeOf(missing), 'NOT_FOUND');
    const byCustomer = await gql(
      'mutation($id: ID!) { updateProduct(id: $id, input: { priceCents: 1 }) { id } }',
      { id },
      tokens.grace,
    );
    assert.equal(codeOf(byCustomer), 'FORBIDDEN');
    assert.equal(codeOf(await gql('{ stock(skus: ["$bad sku"]) { sku } }')), 'BAD_USER_INPUT');
    const restocked = await gql(
      'mutation { restock(sku: "GW-LAMP", quantity: 5) { sku available reserved } }',
      {},
      tokens.admin,
    );
    assert.deepEqual(restocked.data.restock, { sku: 'GW-LAMP', available: 15, reserved: 0 });
    assert.equal(
      codeOf(
        await gql('mutation { restock(sku: "GW-LAMP", quantity: 5) { sku } }', {}, tokens.grace),
      ),
      'FORBIDDEN',
    );
    assert.equal(
      codeOf(
        await gql('mutation { restock(sku: "GW-NONE", quantity: 5) { sku } }', {}, tokens.admin),
      ),
      'NOT_FOUND',
    );
    const stock = await gql(
      '{ stock(skus: ["GW-LAMP", "GW-UNKNOWN"]) { sku available reserved } }',
    );
    assert.deepEqual(stock.data.stock, [
      { sku: 'GW-LAMP', available: 15, reserved: 0 },
      { sku: 'GW-UNKNOWN', available: 0, reserved: 0 },
    ]);
  });

  it('serves a page of 50 products with their stock in one catalog call and one GetStock', async () => {
    for (let i = 0; i < 50; i += 1) {
      await gql(
        'mutation($input: ProductInput!) { createProduct(input: $input) { id } }',
        {
          input: {
            sku: `GW-PAGE-${i}`,
            name: `Page item ${i}`,
            description: '',
            category: 'paged',
            priceCents: 100 + i,
            currency: 'EUR',
            initialStock: i,
          },
        },
        tokens.admin,
      );
    }
    reset();
    const page = await gql(
      '{ products(category: "paged", first: 50) { edges { cursor node { sku priceCents stock { available } } } pageInfo { hasNextPage endCursor } } }',
    );
    const edges = (
      page.data.products as { edges: { node: { sku: string; stock: { available: number } } }[] }
    ).edges;
    assert.equal(edges.length, 50);
    assert.equal(edges.find((edge) => edge.node.sku === 'GW-PAGE-7')?.node.stock.available, 7);
    assert.deepEqual(counts, { functions: 1, stock: 1 });

    const bySlug = await gql('{ product(slug: "page-item-3") { sku } }');
    assert.deepEqual(bySlug.data.product, { sku: 'GW-PAGE-3' });
    assert.equal(
      (await gql('{ product(id: "000000000000000000000000") { sku } }')).data.product,
      null,
    );
    assert.equal(codeOf(await gql('{ product { sku } }')), 'BAD_USER_INPUT');

    reset();
    const categories = await gql('{ categories { name productCount } }');
    assert.ok(
      (categories.data.categories as { name: string; productCount: number }[]).some(
        (c) => c.name === 'paged' && c.productCount === 50,
      ),
    );
    assert.deepEqual(counts, { functions: 1, stock: 0 });
  });

  it('keeps a cart: add, update, clear; an unknown SKU is BAD_USER_INPUT; no token is UNAUTHENTICATED', async () => {
    const add = await gql(
      'mutation { addToCart(sku: "GW-LAMP", quantity: 2) { items { sku quantity lineTotalCents product { name stock { available } } } subtotalCents currency } }',
      {},
      tokens.grace,
    );
    assert.deepEqual(add.data.addToCart, {
      items: [
        {
          sku: 'GW-LAMP',
          quantity: 2,
          lineTotalCents: 5400,
          product: { name: 'Lamp GW-LAMP', stock: { available: 15 } },
        },
      ],
      subtotalCents: 5400,
      currency: 'EUR',
    });
    const updated = await gql(
      'mutation { updateCartItem(sku: "GW-LAMP", quantity: 3) { items { quantity } } }',
      {},
      tokens.grace,
    );
    assert.deepEqual(updated.data.updateCartItem, { items: [{ quantity: 3 }] });
    assert.equal(
      codeOf(
        await gql(
          'mutation { addToCart(sku: "GW-NOTHING", quantity: 1) { subtotalCents } }',
          {},
          tokens.grace,
        ),
      ),
      'BAD_USER_INPUT',
    );
    assert.equal(codeOf(await gql('{ cart { subtotalCents } }')), 'UNAUTHENTICATED');
    const cleared = await gql(
      'mutation { clearCart { items { sku } subtotalCents } }',
      {},
      tokens.grace,
    );
    assert.deepEqual(cleared.data.clearCart, { items: [], subtotalCents: 0 });
  });

  it('checks out, follows the order to CONFIRMED, lists it, and guards it from other customers', async () => {
    const empty = await gql(
      'mutation($input: CheckoutInput!) { checkout(input: $input) { id } }',
      {
        input: {
          idempotencyKey: 'gw-empty-cart-01',
          paymentToken: 'tok_visa',
          shippingAddress: ADDRESS,
        },
      },
      tokens.hopper,
    );
    assert.equal(codeOf(empty), 'BAD_USER_INPUT');
    await gql(
      'mutation { addToCart(sku: "GW-LAMP", quantity: 1) { subtotalCents } }',
      {},
      tokens.grace,
    );
    const placed = await gql(
      'mutation($input: CheckoutInput!) { checkout(input: $input) { id status totalCents currency items { sku quantity unitPriceCents } } }',
      {
        input: {
          idempotencyKey: 'gw-checkout-0001',
          paymentToken: 'tok_visa',
          shippingAddress: ADDRESS,
        },
      },
      tokens.grace,
    );
    const order = placed.data.checkout as { id: string; status: string };
    assert.equal(order.status, 'PENDING');
    let status = 'PENDING';
    for (let i = 0; i < 200 && status !== 'CONFIRMED'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      const read = await gql(
        'query($id: ID!) { order(id: $id) { status history { status at } } }',
        { id: order.id },
        tokens.grace,
      );
      status = (read.data.order as { status: string }).status;
    }
    assert.equal(status, 'CONFIRMED');
    const list = await gql(
      '{ orders(first: 5) { edges { node { id status } } pageInfo { hasNextPage } } }',
      {},
      tokens.grace,
    );
    assert.deepEqual((list.data.orders as { edges: unknown[] }).edges, [
      { node: { id: order.id, status: 'CONFIRMED' } },
    ]);

    assert.equal(
      (await gql('query($id: ID!) { order(id: $id) { id } }', { id: order.id }, tokens.hopper)).data
        ?.order,
      null,
    );
    assert.equal(
      codeOf(
        await gql(
          'mutation($id: ID!) { cancelOrder(id: $id) { id } }',
          { id: order.id },
          tokens.hopper,
        ),
      ),
      'NOT_FOUND',
    );
    const cancelled = await gql(
      'mutation($id: ID!) { cancelOrder(id: $id) { status cancellationReason } }',
      { id: order.id },
      tokens.grace,
    );
    assert.deepEqual(cancelled.data.cancelOrder, {
      status: 'CANCELLED',
      cancellationReason: 'CANCELLED_BY_CUSTOMER',
    });
    assert.equal(
      codeOf(
        await gql(
          'mutation($id: ID!) { cancelOrder(id: $id) { id } }',
          { id: order.id },
          tokens.grace,
        ),
      ),
      'CONFLICT',
    );
    assert.equal(codeOf(await gql('{ orders { edges { cursor } } }')), 'UNAUTHENTICATED');
  });

  it('an admin makes an API key: with orders:read it lists the shop orders, is refused createProduct, and stops when revoked', async () => {
    const CREATE =
      'mutation($n: String!, $p: [String!]!) { createApiKey(name: $n, permissions: $p) { id name permissions key lastUsedAt } }';
    assert.equal(
      codeOf(await gql(CREATE, { n: 'by a customer', p: ['orders:read'] }, tokens.grace)),
      'FORBIDDEN',
    );
    assert.equal(
      codeOf(await gql(CREATE, { n: 'bad', p: ['orders:everything'] }, tokens.admin)),
      'BAD_USER_INPUT',
    );
    const created = (await gql(CREATE, { n: 'Warehouse sync', p: ['orders:read'] }, tokens.admin))
      .data.createApiKey as { id: string; key: string; permissions: string[]; lastUsedAt: null };
    assert.match(created.key, /^ok_[\w-]{43}$/);
    assert.deepEqual(created.permissions, ['orders:read']);
    const listed = await gql('{ apiKeys { id key lastUsedAt } }', {}, tokens.admin);
    assert.deepEqual(
      (listed.data.apiKeys as { id: string; key: string | null }[]).find((k) => k.id === created.id)
        ?.key,
      null,
      'shown once, at creation',
    );

    const shopOrders = await gql(
      '{ orders(first: 50) { edges { node { id } } } }',
      {},
      created.key,
    );
    const ids = (shopOrders.data.orders as { edges: { node: { id: string } }[] }).edges.map(
      (edge) => edge.node.id,
    );
    const gracesOrders = await gql(
      '{ orders(first: 50) { edges { node { id } } } }',
      {},
      tokens.grace,
    );
    const graces = (gracesOrders.data.orders as { edges: { node: { id: string } }[] }).edges;
    assert.ok(graces.length > 0 && graces.every((edge) => ids.includes(edge.node.id)));
    const product = await gql(
      'mutation($i: ProductInput!) { createProduct(input: $i) { id } }',
      {
        i: {
          sku: 'KEY-1',
          name: 'Key',
          description: 'k',
          category: 'c',
          priceCents: 1,
          currency: 'EUR',
          initialStock: 1,
        },
      },
      created.key,
    );
    assert.equal(codeOf(product), 'FORBIDDEN');
    assert.equal(
      codeOf(await gql(CREATE, { n: 'key by key', p: ['orders:read'] }, created.key)),
      'FORBIDDEN',
      'a key makes no keys',
    );
    const used = await gql('{ apiKeys { id lastUsedAt } }', {}, tokens.admin);
    assert.ok(
      (used.data.apiKeys as { id: string; lastUsedAt: string | null }[]).find(
        (k) => k.id === created.id,
      )?.lastUsedAt,
    );
    const revoked = await gql(
      'mutation($id: ID!) { revokeApiKey(id: $id) }',
      { id: created.id },
      tokens.admin,
    );
    assert.deepEqual(revoked.data, { revokeApiKey: true });
    const after = await gql('{ orders(first: 1) { edges { node { id } } } }', {}, created.key);
    assert.equal(codeOf(after), 'UNAUTHENTICATED');
  });

  it('refuses abuse before calling any function: depth, aliases, batches, body size, operator objects', async () => {
    reset();
    const depth20 = `{ products { edges { node { ${'stock { '.repeat(17)}sku${' }'.repeat(17)} } } } }`;
    const depthReply = await gql(depth20);
    assert.equal(depthReply.statusCode, 400);
    assert.equal(codeOf(depthReply), 'BAD_USER_INPUT');

    const aliases = `{ ${Array.from({ length: 500 }, (_, i) => `a${i}: products(first: 1) { edges { cursor } }`).join(' ')} }`;
    const aliasReply = await gql(aliases);
    assert.equal(codeOf(aliasReply), 'BAD_USER_INPUT');
    assert.match(aliasReply.errors?.[0]?.message ?? '', /aliases/);

    const batch = await gateway.inject({
      method: 'POST',
      url: '/graphql',
      payload: Array.from({ length: 100 }, () => ({ query: '{ products { edges { cursor } } }' })),
    });
    assert.equal(batch.statusCode, 400);

    const huge = await gateway.inject({
      method: 'POST',
      url: '/graphql',
      payload: {
        query: '{ products { edges { cursor } } }',
        variables: { pad: 'x'.repeat(1024 * 1024) },
      },
    });
    assert.equal(huge.statusCode, 413);

    const injection = await gql('query($sku: String!) { stock(skus: [$sku]) { sku } }', {
      sku: { $ne: '' },
    });
    assert.equal(codeOf(injection), 'BAD_USER_INPUT');
    const injectionInput = await gql(
      'mutation($input: CheckoutInput!) { checkout(input: $input) { id } }',
      {
        input: { idempotencyKey: { $gt: '' }, paymentToken: 'tok_visa', shippingAddress: ADDRESS },
      },
      tokens.grace,
    );
    assert.equal(codeOf(injectionInput), 'BAD_USER_INPUT');
    const wrongType = await gql(
      'mutation { addToCart(sku: "GW-LAMP", quantity: "two") { subtotalCents } }',
      {},
      tokens.grace,
    );
    assert.equal(codeOf(wrongType), 'BAD_USER_INPUT');
    assert.deepEqual(counts, { functions: 0, stock: 0 });
  });
});
