import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { MongoClient, ObjectId } from 'mongodb';
import { choosePort } from '../../localstack/infra/net.js';
import { REPO_ROOT } from '../../localstack/infra/paths.js';
import { type GraphqlAnswer, postGraphql } from '../../localstack/platform/graphql-client.js';
import { listSentMail } from '../../shared/email/mail-sender.js';
import { createKafka } from '../../shared/kafka/kafka-client.js';
import { createToolLogger } from '../../shared/logger/tool-logger.js';
import { IsolatedInfraCache } from '../../test-support/isolated-infra-cache.js';
import { spawnWatched, type WatchedProcess } from '../../test-support/watched-process.js';

/**
 * `npm run test:faults`: real processes killed and restarted while shoppers check out through
 * GraphQL on loopback. Its own servers (a temporary infra cache: Kafka, mongod), a platform
 * process (`localstack/start.ts`) and an inventory process, all started here and ended here
 * by pid. For each scenario, bounded buyers compete for fewer units than they want while the
 * fault is injected; then every invariant of the promise is checked from the database:
 * every accepted order final within a bound, none lost, stock conserved, charges kept only
 * for confirmed orders, one customer mail per final order (read from LocalStack's SES), none
 * twice, notifications only for orders that exist. Prints a table and writes
 * it to bench/results/faults.md; exits 1 when any invariant fails.
 */

const HOST = '127.0.0.1';
const STOCK = 12;
const BUYERS = 16;
const LOAD_MS = 8_000;
const FINAL_WITHIN_MS = 150_000;
const ADMIN = { email: 'admin@orderly.local', password: 'orderly-admin-1' };
const ADDRESS = { name: 'F', line1: '1 Fault St', city: 'X', postalCode: '1', country: 'GB' };

const log = (message: string) =>
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} faults: ${message}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Scenario {
  name: string;
  /** Run before the buyers start (a second process to join in). */
  prepare?(world: World): Promise<void>;
  /** Injected while the buyers run; resolves once the platform is whole again. */
  fault(world: World): Promise<void>;
  /** Extra checks of the scenario, as `[invariant, holds, detail]`. */
  check?(world: World, sku: string): Promise<[string, boolean, string][]>;
}

class World {
  platform: WatchedProcess | undefined;
  inventory: WatchedProcess | undefined;
  /** A second workflow process (`npm run worker`), in the scale-out scenario. */
  worker: WatchedProcess | undefined;
  url = '';
  constructor(
    readonly cache: IsolatedInfraCache,
    /** The environment of `infra:up`: without the servers' addresses, which would mean "use these". */
    readonly infraEnv: NodeJS.ProcessEnv,
    readonly env: NodeJS.ProcessEnv,
    readonly mongo: MongoClient,
  ) {}

  /** Brings the killed servers back, as an operator would with `npm run infra:up`. */
  async infraUp(): Promise<void> {
    await this.cache.up(this.infraEnv);
  }

  get db() {
    return this.mongo.db('orderly');
  }

  async startInventory(): Promise<void> {
    this.inventory = spawnWatched(
      process.execPath,
      ['--import', 'tsx', 'services/inventory/main.ts'],
      // At info it says when it listens.
      { cwd: REPO_ROOT, env: { ...this.env, LOG_LEVEL: 'info' }, detached: true },
    );
    await until(
      () => this.inventory?.stdout().includes('inventory gRPC server listening') ?? false,
      60_000,
      'the inventory service',
      () => this.inventory?.stdout().slice(-2_000) ?? '',
    );
  }

  async startPlatform(): Promise<void> {
    this.platform = spawnWatched(process.execPath, ['--import', 'tsx', 'localstack/start.ts'], {
      cwd: REPO_ROOT,
      env: this.env,
      detached: true,
    });
    await until(
      () => this.platform?.stdout().includes('Press Ctrl-C to stop') ?? false,
      150_000,
      'the platform',
      () => this.platform?.stderr().slice(-3_000) ?? '',
    );
  }

  async startWorker(): Promise<void> {
    this.worker = spawnWatched(
      process.execPath,
      ['--import', 'tsx', 'localstack/workflow-worker.ts'],
      // At info it logs each payment it decides: proof that it took orders.
      { cwd: REPO_ROOT, env: { ...this.env, LOG_LEVEL: 'info' }, detached: true },
    );
    await until(
      () => this.worker?.stdout().includes('workflow worker running') ?? false,
      60_000,
      'the workflow worker',
      () => this.worker?.stderr().slice(-3_000) ?? '',
    );
  }

  /** Ends a process this suite started, by its process group; SIGKILL if it lingers. */
  static async end(process_: WatchedProcess | undefined, signal: NodeJS.Signals): Promise<void> {
    const pid = process_?.child.pid;
    if (!pid) return;
    const send = (sig: NodeJS.Signals) => {
      try {
        process.kill(-pid, sig);
        return true;
      } catch {
        return false; // gone already
      }
    };
    if (!send(signal)) return;
    if ((await process_.exitWithin(30_000)) === 'still running') {
      send('SIGKILL');
      await process_.exitWithin(5_000);
    }
  }

  gql<T>(query: string, variables: object = {}, token?: string): Promise<GraphqlAnswer<T>> {
    return postGraphql<T>(this.url, query, variables, token);
  }
}

async function until(
  check: () => boolean | Promise<boolean>,
  ms: number,
  what: string,
  detail: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${detail()}`);
    await sleep(250);
  }
}

/** A server of the infra cache killed, then brought back as an operator would. */
function serverCrash(name: 'kafka' | 'mongo', label: string): Scenario {
  return {
    name: `${label} SIGKILL, restart`,
    async fault(world) {
      world.cache.kill(name);
      await sleep(2_000);
      await world.infraUp();
    },
  };
}

/** The inventory process ended by `signal` (a crash, or an orchestrator's stop), then started. */
function inventoryRestart(signal: 'SIGKILL' | 'SIGTERM'): Scenario {
  return {
    name: `inventory ${signal}, restart`,
    async fault(world) {
      await World.end(world.inventory, signal);
      await world.startInventory();
    },
  };
}

/** Undecodable records on every partition of every topic; each consumer sets them aside. */
function poisonRecords(): Scenario {
  // Records per topic, and how many functions read each topic (serverless.yml).
  const perTopic = 12;
  const readers: Record<string, number> = { orders: 2, inventory: 1, catalog: 2 };
  const before: Record<string, number> = {};
  const deadLetters = async (kafka: Kafka, topic: string) => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(`${topic}.dlq`);
      return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
    } finally {
      await admin.disconnect();
    }
  };
  const kafkaOf = (world: World) =>
    createKafka(
      { brokers: String(world.env.KAFKA_BROKERS).split(','), clientId: 'faults' },
      { logger: createToolLogger('faults') },
    );
  return {
    name: 'poison records on the topics',
    async fault(world) {
      const kafka = kafkaOf(world);
      for (const topic of Object.keys(readers)) before[topic] = await deadLetters(kafka, topic);
      const producer = kafka.producer();
      await producer.connect();
      for (const topic of Object.keys(readers)) {
        await producer.send({
          topic,
          messages: [0, 1, 2, 3, 4, 5].flatMap((partition) => [
            { partition, value: '{"id": "truncated' },
            { partition, value: JSON.stringify({ type: 'OrderTeleported', version: 1 }) },
          ]),
        });
      }
      await producer.disconnect();
    },
    async check(world) {
      const kafka = kafkaOf(world);
      const results: [string, boolean, string][] = [];
      for (const [topic, count] of Object.entries(readers)) {
        const wanted = perTopic * count;
        let added = 0;
        const deadline = Date.now() + 30_000;
        while (added < wanted && Date.now() < deadline) {
          added = (await deadLetters(kafka, topic)) - (before[topic] ?? 0);
          if (added < wanted) await sleep(500);
        }
        // At least: a record dead-lettered by an earlier scenario's retries may land here too.
        results.push([`${topic}: poison dead-lettered`, added >= wanted, `${added} of ${wanted}`]);
      }
      return results;
    },
  };
}

/** A shopper fills a cart past the limit: the 51st product is refused, the order goes on. */
function overLimitCart(): Scenario {
  let refused = 0;
  let orderId: string | undefined;
  return {
    name: 'cart of 51 products (over the limit)',
    async fault(world) {
      const token = await registerBuyer(world, 'big-cart');
      const admin = await adminToken(world);
      const skus: string[] = [];
      for (let i = 0; i < 51; i++) skus.push(await createProduct(world, admin, 5));
      for (const sku of skus) {
        const answer = await world.gql(ADD, { s: sku }, token);
        if (answer.errors?.[0]?.extensions?.code === 'BAD_USER_INPUT') refused += 1;
      }
      const placed = await world.gql<{ checkout: { id: string } }>(
        CHECKOUT,
        { i: { idempotencyKey: randomUUID(), paymentToken: 'tok_visa', shippingAddress: ADDRESS } },
        token,
      );
      orderId = placed.data?.checkout.id;
    },
    async check(world) {
      const order =
        orderId && ObjectId.isValid(orderId)
          ? await world.db.collection('orders').findOne({ _id: new ObjectId(orderId) })
          : null;
      return [
        ['51st product refused (BAD_USER_INPUT)', refused === 1, `${refused} refused`],
        [
          'the 50-line order ends final',
          order !== null && ['CONFIRMED', 'CANCELLED'].includes(String(order.status)),
          String(order?.status),
        ],
      ];
    },
  };
}

const scenarios: Scenario[] = [
  {
    name: 'no fault (baseline)',
    fault: async () => {
      await sleep(LOAD_MS / 2);
    },
  },
  serverCrash('kafka', 'broker'),
  serverCrash('mongo', 'database'),
  inventoryRestart('SIGKILL'),
  inventoryRestart('SIGTERM'),
  {
    name: 'platform SIGKILL, restart',
    async fault(world) {
      await World.end(world.platform, 'SIGKILL');
      await sleep(1_000);
      await world.startPlatform();
    },
  },
  poisonRecords(),
  overLimitCart(),
  scaleOut(),
];

/**
 * Two workflow processes share the consumer groups (two Lambda concurrency slots, two
 * containers); the second is killed mid-burst. Its partitions go back to the first once the
 * group sees it gone, and what it was doing is done again there: nothing lost, charged once.
 */
function scaleOut(): Scenario {
  let decidedByWorker = 0;
  return {
    name: 'second workflow process SIGKILL (scale-out)',
    async prepare(world) {
      await world.startWorker();
      // Both event-source emulators in the groups before the buyers start.
      await sleep(8_000);
    },
    async fault(world) {
      await sleep(1_500);
      // Each order's step logs its outcome at info: a payment decided, or stock refused.
      const logged = world.worker?.stderr() ?? '';
      decidedByWorker =
        logged.split('payment decided').length - 1 + logged.split('stock refused').length - 1;
      await World.end(world.worker, 'SIGKILL');
    },
    async check() {
      return [
        [
          'the second process took orders before it was killed',
          decidedByWorker > 0,
          `${decidedByWorker} orders decided there (paid, declined or refused stock)`,
        ],
      ];
    },
  };
}

const ADD = 'mutation($s: String!) { addToCart(sku: $s, quantity: 1) { subtotalCents } }';
const CHECKOUT = 'mutation($i: CheckoutInput!) { checkout(input: $i) { id status } }';

async function adminToken(world: World): Promise<string> {
  const answer = await world.gql<{ login: { token: string } }>(
    'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
    { e: ADMIN.email, p: ADMIN.password },
  );
  if (!answer.data) throw new Error(`admin login: ${JSON.stringify(answer.errors)}`);
  return answer.data.login.token;
}

/** The stock of each variant of a drill's product that nobody buys: it must never move. */
const SIBLING_STOCK = 7;
const SIBLINGS = ['S-BLUE', 'S-BLACK', 'M-BLACK'] as const;

/** The variants nobody buys, beside the M / Blue one the drill sells. */
function siblingSkus(sku: string): string[] {
  const base = sku.replace(/-M-BLUE$/, '');
  return SIBLINGS.map((variant) => `${base}-${variant}`);
}

/**
 * A T-shirt in two sizes and two colours; the drill sells its M / Blue variant (`stock` units)
 * and returns that SKU. Inventory is per variant, so the others must stay as they were.
 */
async function createProduct(world: World, admin: string, stock: number): Promise<string> {
  const base = `FAULT-${randomUUID().slice(0, 8).toUpperCase()}`;
  const option = (size: string, colour: string) => [
    { name: 'Size', value: size },
    { name: 'Colour', value: colour },
  ];
  const answer = await world.gql(
    'mutation($i: ProductInput!) { createProduct(input: $i) { sku } }',
    {
      i: {
        sku: `${base}-S-BLUE`,
        name: `Fault tee ${base}`,
        description: 'fault drill',
        category: 'faults',
        priceCents: 900,
        currency: 'EUR',
        initialStock: SIBLING_STOCK,
        options: [
          { name: 'Size', values: ['S', 'M'] },
          { name: 'Colour', values: ['Blue', 'Black'] },
        ],
        variantOptions: option('S', 'Blue'),
        variants: [
          {
            sku: `${base}-M-BLUE`,
            options: option('M', 'Blue'),
            priceCents: 900,
            initialStock: stock,
          },
          {
            sku: `${base}-S-BLACK`,
            options: option('S', 'Black'),
            priceCents: 900,
            initialStock: SIBLING_STOCK,
          },
          {
            sku: `${base}-M-BLACK`,
            options: option('M', 'Black'),
            priceCents: 950,
            initialStock: SIBLING_STOCK,
          },
        ],
      },
    },
    admin,
  );
  if (answer.errors) throw new Error(`createProduct: ${JSON.stringify(answer.errors)}`);
  return `${base}-M-BLUE`;
}

async function registerBuyer(world: World, tag: string): Promise<string> {
  const answer = await world.gql<{ register: { token: string } }>(
    'mutation($i: RegisterInput!) { register(input: $i) { token } }',
    {
      i: {
        email: `${tag}-${randomUUID().slice(0, 8)}@example.com`,
        password: 'fault-password-1',
        name: 'Fault buyer',
      },
    },
  );
  if (!answer.data) throw new Error(`register: ${JSON.stringify(answer.errors)}`);
  return answer.data.register.token;
}

/** Buyers loop add-to-cart + checkout (retrying with the same key) until `stop`. */
async function runBuyers(world: World, sku: string, tokens: string[], signal: { stop: boolean }) {
  const accepted = new Set<string>();
  const buyer = async (token: string) => {
    while (!signal.stop) {
      try {
        const add = await world.gql(ADD, { s: sku }, token);
        if (add.errors) {
          await sleep(300);
          continue;
        }
        const key = randomUUID();
        for (let attempt = 0; attempt < 8 && !signal.stop; attempt++) {
          const placed = await world.gql<{ checkout: { id: string } }>(
            CHECKOUT,
            { i: { idempotencyKey: key, paymentToken: 'tok_visa', shippingAddress: ADDRESS } },
            token,
          );
          if (placed.data?.checkout) {
            accepted.add(placed.data.checkout.id);
            break;
          }
          await sleep(500);
        }
      } catch {
        await sleep(500); // the platform is away; a shopper tries again
      }
    }
  };
  return { accepted, done: Promise.all(tokens.map(buyer)) };
}

type Row = { scenario: string; results: [string, boolean, string][]; seconds: number };

/** How long the mails of final orders may take to arrive: a mail whose sender died waits out its claim. */
const MAILED_WITHIN_MS = 90_000;

/**
 * The mails LocalStack's SES sent about these orders, counted by subject ("order <id>
 * confirmed" / "cancelled"): each final order must have exactly one of its kind.
 */
async function mailsOfOrders(world: World, docs: Record<string, unknown>[]) {
  const expected = docs
    .filter((doc) => ['CONFIRMED', 'CANCELLED'].includes(String(doc.status)))
    .map((doc) => `order ${String(doc._id)} ${String(doc.status).toLowerCase()}`);
  const count = async () => {
    const list = await listSentMail(`${world.env.AWS_ENDPOINT_URL}/_aws/ses`);
    const counts = new Map<string, number>();
    for (const sent of list) {
      const key = /order [0-9a-f]{24} (confirmed|cancelled)/.exec(sent.Subject)?.[0];
      if (key) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return counts;
  };
  const started = Date.now();
  let counts = await count();
  while (expected.some((key) => !counts.has(key)) && Date.now() - started < MAILED_WITHIN_MS) {
    await sleep(2_000);
    counts = await count();
  }
  return {
    sent: expected.reduce((sum, key) => sum + (counts.get(key) ?? 0), 0),
    missing: expected.filter((key) => !counts.has(key)),
    twice: expected.filter((key) => (counts.get(key) ?? 0) > 1),
  };
}

async function checkInvariants(world: World, sku: string, accepted: Set<string>) {
  const ids = [...accepted];
  const orders = world.db.collection('orders');
  const finalStates = ['CONFIRMED', 'CANCELLED'];
  const started = Date.now();
  let docs: Record<string, unknown>[] = [];
  const stockOf = () => world.db.collection('inventory_stock').findOne({ _id: sku as never });
  while (Date.now() - started < FINAL_WITHIN_MS) {
    docs = await orders.find({ 'items.sku': sku }).toArray();
    // Final, and the stock followed: a confirmed order's holds are committed after its move,
    // so a crash between the two is finished by the step's redelivery.
    const holdsLeft = ((await stockOf())?.holds as string[] | undefined)?.length ?? 0;
    if (docs.every((doc) => finalStates.includes(String(doc.status))) && holdsLeft === 0) break;
    await sleep(2_000);
  }
  const settledIn = Math.round((Date.now() - started) / 1000);
  const byId = new Map(docs.map((doc) => [String(doc._id), doc]));
  const open = docs.filter((doc) => !finalStates.includes(String(doc.status)));
  const lost = ids.filter((id) => !byId.has(id));
  const confirmed = docs.filter((doc) => doc.status === 'CONFIRMED').map((doc) => String(doc._id));
  const stock = await stockOf();
  // A hold is an order's (its own holds, or an older reservation under the order's id), of
  // the units it bought of the SKU. Live while the order is open; one left by a final order
  // (never committed or released), or by no order, is a leak.
  const holdIds = (stock?.holds as string[] | undefined) ?? [];
  const live = holdIds.filter(
    (id) => byId.has(id) && !finalStates.includes(String(byId.get(id)?.status)),
  );
  const heldUnits = live.reduce((sum, id) => {
    const items = (byId.get(id)?.items ?? []) as { sku: string; quantity: number }[];
    return sum + items.filter((item) => item.sku === sku).reduce((n, item) => n + item.quantity, 0);
  }, 0);
  const leaked = holdIds.length - live.length;
  const total = Number(stock?.available) + Number(stock?.reserved) + Number(stock?.sold);
  const charges = await world.db
    .collection('test_provider_charges')
    .find({ _id: { $in: docs.map((doc) => String(doc._id)) as never[] } })
    .toArray();
  const kept = charges.filter((c) => c.result?.outcome === 'AUTHORIZED' && !c.refunded);
  const keptIds = new Set(kept.map((c) => String(c._id)));
  const notifications = await world.db
    .collection('notifications')
    .find({ orderId: { $in: [...byId.keys(), ...ids] } })
    .toArray();
  const strays = await world.db
    .collection('notifications')
    .countDocuments({ orderId: { $nin: (await orders.distinct('_id')).map(String) } });
  const siblings = await world.db
    .collection('inventory_stock')
    .find({ _id: { $in: siblingSkus(sku) as never[] } })
    .toArray();
  const moved = siblings.filter(
    (level) => level.available !== SIBLING_STOCK || level.reserved !== 0 || level.sold !== 0,
  );
  const mail = await mailsOfOrders(world, docs);
  const misnamed = docs.filter((doc) =>
    (doc.items as { sku: string; variantTitle?: string }[]).some(
      (item) => item.sku === sku && item.variantTitle !== 'M / Blue',
    ),
  );
  const results: [string, boolean, string][] = [
    [
      `every accepted order final within ${FINAL_WITHIN_MS / 1000} s`,
      open.length === 0,
      `${docs.length} orders, ${open.length} open, settled in ${settledIn} s`,
    ],
    ['none lost', lost.length === 0, `${accepted.size} accepted, ${lost.length} missing`],
    [
      'stock conserved, nothing oversold',
      total === STOCK && Number(stock?.sold) === confirmed.length && confirmed.length <= STOCK,
      `available+reserved+sold = ${total} of ${STOCK}; sold ${stock?.sold}, confirmed ${confirmed.length}`,
    ],
    [
      "only the sold variant's stock moved",
      siblings.length === SIBLINGS.length && moved.length === 0,
      `${siblings.length} other variants, ${moved.length} changed`,
    ],
    [
      'orders carry the variant sold',
      misnamed.length === 0,
      `${docs.length - misnamed.length} of ${docs.length} name M / Blue`,
    ],
    [
      'reserved = live holds',
      Number(stock?.reserved) === heldUnits && leaked === 0,
      `reserved ${stock?.reserved}, held ${heldUnits} by ${live.length} open orders, ${leaked} holds left by final orders or none`,
    ],
    [
      'charges kept = confirmed orders',
      kept.length === confirmed.length && confirmed.every((id) => keptIds.has(id)),
      `${kept.length} kept, ${charges.length - kept.length} declined, refunded or never asked for`,
    ],
    [
      'customers emailed = final orders, none twice',
      mail.missing.length === 0 && mail.twice.length === 0,
      `${mail.sent} mails for ${docs.length} final orders (${confirmed.length} confirmed), ` +
        `${mail.missing.length} missing, ${mail.twice.length} sent twice`,
    ],
    [
      'notifications only for orders that exist',
      strays === 0 && notifications.every((n) => byId.has(String(n.orderId))),
      `${notifications.length} for these orders, ${strays} stray`,
    ],
  ];
  return results;
}

async function main(): Promise<void> {
  const began = Date.now();
  // `npm run test:faults -- broker` runs the scenarios whose name contains "broker".
  const only = process.argv[2];
  const cache = new IsolatedInfraCache('orderly-faults-');
  const rows: Row[] = [];
  let world: World | undefined;
  try {
    log(`servers in ${cache.dir}`);
    // A developer's machine: the platform's local defaults (admin, secret, GraphiQL) apply.
    const base = { ...process.env, NODE_ENV: 'test', ORDERLY_CACHE_DIR: cache.dir };
    const { settings } = await cache.up(base);
    const port = await choosePort(HOST, 4400);
    const grpc = await choosePort(HOST, 50551);
    const env: NodeJS.ProcessEnv = {
      ...base,
      ...settings,
      PORT: String(port),
      INVENTORY_ADDR: `${HOST}:${grpc}`,
      INVENTORY_GRPC_ADDR: `${HOST}:${grpc}`,
      MONGODB_DB: 'orderly',
      GATEWAY_RATE_LIMIT_PER_MINUTE: '100000',
      RESERVATION_TTL_SECONDS: '60',
      INVENTORY_RESERVATION_TTL_SECONDS: '60',
      ORDER_REPAIR_AFTER_SECONDS: '30',
      LOG_LEVEL: 'warn',
    };
    const mongo = new MongoClient(String(settings.MONGODB_URI), {
      serverSelectionTimeoutMS: 60_000,
    });
    world = new World(cache, base, env, mongo);
    world.url = `http://${HOST}:${port}/graphql`;
    await world.startInventory();
    await world.startPlatform();
    log('platform ready');
    const admin = await adminToken(world);
    const tokens: string[] = [];
    for (let i = 0; i < BUYERS; i++) tokens.push(await registerBuyer(world, 'buyer'));

    for (const scenario of scenarios) {
      const t0 = Date.now();
      if (only && !scenario.name.includes(only)) continue;
      log(`scenario: ${scenario.name}`);
      const sku = await createProduct(world, admin, STOCK);
      await scenario.prepare?.(world);
      const signal = { stop: false };
      const load = await runBuyers(world, sku, tokens, signal);
      await sleep(2_500);
      log('  fault');
      await scenario.fault(world);
      log('  fault over; buyers go on');
      await sleep(LOAD_MS / 2);
      signal.stop = true;
      await load.done;
      log(`  ${load.accepted.size} orders accepted; waiting for them to settle`);
      const results = await checkInvariants(world, sku, load.accepted);
      if (scenario.check) results.push(...(await scenario.check(world, sku)));
      rows.push({
        scenario: scenario.name,
        results,
        seconds: Math.round((Date.now() - t0) / 1000),
      });
      for (const [name, ok, detail] of results) log(`  ${ok ? 'ok  ' : 'FAIL'} ${name}: ${detail}`);
      // Buyers' carts may keep the scenario's product; empty them for the next one.
      for (const token of tokens)
        await world
          .gql('mutation { clearCart { subtotalCents } }', {}, token)
          .catch(() => undefined);
    }
  } finally {
    await World.end(world?.worker, 'SIGTERM');
    await World.end(world?.platform, 'SIGTERM');
    await World.end(world?.inventory, 'SIGTERM');
    await world?.mongo.close().catch(() => undefined);
    cache.remove();
  }
  const report = renderReport(rows, Math.round((Date.now() - began) / 1000));
  process.stdout.write(report);
  const resultsDir = process.env.BENCH_RESULTS_DIR ?? join(REPO_ROOT, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'faults.md'), report);
  if (rows.some((row) => row.results.some(([, ok]) => !ok))) process.exitCode = 1;
}

/** The invariants every scenario is checked against, as the table's columns. */
const COMMON = 6;

function renderReport(rows: Row[], seconds: number): string {
  const columns = rows[0]?.results.slice(0, COMMON).map(([name]) => name) ?? [];
  const mark = (ok: boolean) => (ok ? 'yes' : '**NO**');
  const lines = [
    '# Fault suite (`npm run test:faults`)',
    '',
    `Run ${new Date().toISOString()} on this machine, ${seconds} s in all. ${BUYERS} buyers want`,
    `one unit each, again and again, of the M / Blue variant (${STOCK} units) of a T-shirt in four variants, for ${LOAD_MS / 1000} s per`,
    'scenario, through GraphQL on loopback; the fault is injected 2.5 s in and the buyers go on',
    'through it (a failed checkout is retried with the same idempotency key). Checked from the',
    'database once the orders settle.',
    '',
    `| scenario | ${columns.join(' | ')} | its own checks |`,
    `| --- | ${columns.map(() => '---').join(' | ')} | --- |`,
  ];
  for (const row of rows) {
    const common = row.results.slice(0, COMMON).map(([, ok]) => mark(ok));
    const own = row.results.slice(COMMON).map(([name, ok]) => `${name}: ${mark(ok)}`);
    lines.push(`| ${row.scenario} | ${common.join(' | ')} | ${own.join('; ') || '–'} |`);
  }
  lines.push('', '## Measured', '');
  for (const row of rows) {
    lines.push(`- **${row.scenario}** (${row.seconds} s)`);
    for (const [name, ok, detail] of row.results) {
      lines.push(`  - ${name}: ${ok ? 'holds' : 'FAILS'}; ${detail}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

main().catch((err: unknown) => {
  process.stderr.write(`faults: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
