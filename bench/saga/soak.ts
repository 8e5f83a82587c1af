import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { MongoClient, ObjectId } from 'mongodb';
import type { ServiceName } from '../../localstack/infra/service-record.js';
import { type GraphqlAnswer, postGraphql } from '../../localstack/platform/graphql-client.js';
import { serverPids } from '../lib/process-cpu.js';
import { npmStartNodeFlags, startPlatform } from '../start/listing-bench.js';

/** One RSS sample of each process, minutes from the start of the load. */
export interface RssSample {
  minute: number;
  mb: Record<string, number>;
}

export interface SoakResult {
  settings: { ratePerSecond: number; minutes: number; warmupMinutes: number; shoppers: number };
  offered: number;
  confirmed: number;
  failed: number;
  /** Before the load (the stack idle, demo catalog seeded), during it, and 60 s after it. */
  idleMb: Record<string, number>;
  samples: RssSample[];
  afterMb: Record<string, number>;
  /** Least-squares slope of RSS after the warm-up, MB per minute, per process. */
  slopeMbPerMinute: Record<string, number>;
  peakMb: Record<string, number>;
}

const round = (n: number) => Math.round(n * 100) / 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ADMIN = { email: 'admin@orderly.local', password: 'orderly-admin-1' };
const ADDRESS = { name: 'S', line1: '1 Soak St', city: 'X', postalCode: '1', country: 'GB' };

/** Resident memory of a process, MB, from /proc; 0 when it is gone. */
function rssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
    return round(kb / 1024);
  } catch {
    return 0;
  }
}

function slope(points: { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  return sxx === 0 ? 0 : round(sxy / sxx);
}

/**
 * `npm start` as it runs (its node flags, its own process), checkouts through GraphQL at a
 * fixed rate for `minutes`: each a shopper's add to cart and checkout. The RSS of the platform
 * process and of the servers (mongod, Kafka) is sampled every 10 s; the slope after the
 * warm-up says whether memory grows with the orders, the sample 60 s after the load whether it
 * comes back.
 */
export async function benchSoak(
  infra: { KAFKA_BROKERS: string; MONGODB_URI: string; AWS_ENDPOINT_URL: string },
  settings = {
    ratePerSecond: Number(process.env.BENCH_SOAK_RATE ?? 25),
    minutes: Number(process.env.BENCH_SOAK_MINUTES ?? 20),
    warmupMinutes: 3,
    shoppers: 60,
  },
): Promise<SoakResult> {
  const dbName = `bench_soak_${randomUUID().slice(0, 8)}`;
  const platform = await startPlatform(infra, dbName, {
    name: 'npm start',
    nodeFlags: npmStartNodeFlags(),
    env: {},
  });
  const gql = <T>(query: string, variables: object, token?: string): Promise<GraphqlAnswer<T>> =>
    postGraphql<T>(platform.url, query, variables, token);
  try {
    const pids: Record<string, number> = { platform: platform.pid };
    for (const [name, pid] of Object.entries(serverPids(['mongo', 'kafka'] as ServiceName[]))) {
      if (pid) pids[name] = pid;
    }
    const sample = () =>
      Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, rssMb(pid)]));

    const login = await gql<{ login: { token: string } }>(
      'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      { e: ADMIN.email, p: ADMIN.password },
    );
    const admin = login.data?.login.token;
    if (!admin) throw new Error(`admin login: ${JSON.stringify(login.errors)}`);
    const sku = `SOAK-${randomUUID().slice(0, 8).toUpperCase()}`;
    const created = await gql(
      'mutation($i: ProductInput!) { createProduct(input: $i) { sku } }',
      {
        i: {
          sku,
          name: `Soak mug ${sku}`,
          description: 'soak',
          category: 'soak',
          priceCents: 1200,
          currency: 'EUR',
          initialStock: 1_000_000,
        },
      },
      admin,
    );
    if (created.errors) throw new Error(`createProduct: ${JSON.stringify(created.errors)}`);
    const tokens: string[] = [];
    for (let i = 0; i < settings.shoppers; i++) {
      const answer = await gql<{ register: { token: string } }>(
        'mutation($i: RegisterInput!) { register(input: $i) { token } }',
        {
          i: { email: `soak-${randomUUID()}@example.com`, password: 'soak-password-1', name: 'S' },
        },
      );
      const token = answer.data?.register.token;
      if (!token) throw new Error(`register: ${JSON.stringify(answer.errors)}`);
      tokens.push(token);
    }
    await sleep(30_000); // the start's own work (pictures, seeding) done
    const idleMb = sample();

    // Each shopper buys in turn; an order is offered every 1/rate s whether or not earlier
    // ones are done, on the shopper whose turn it is (one order at a time per shopper).
    const busy = new Set<number>();
    let offered = 0;
    let failed = 0;
    const orderIds: string[] = [];
    const samples: RssSample[] = [];
    const began = Date.now();
    const endAt = began + settings.minutes * 60_000;
    const sampler = setInterval(() => {
      samples.push({ minute: round((Date.now() - began) / 60_000), mb: sample() });
    }, 10_000);
    const running: Promise<void>[] = [];
    try {
      for (let i = 0; Date.now() < endAt; i++) {
        const due = began + (i * 1000) / settings.ratePerSecond;
        const wait = due - Date.now();
        if (wait > 0) await sleep(wait);
        const shopper = i % tokens.length;
        offered += 1;
        if (busy.has(shopper)) {
          failed += 1; // the platform fell behind: the shopper is still waiting
          continue;
        }
        busy.add(shopper);
        const token = tokens[shopper] as string;
        running.push(
          (async () => {
            try {
              await gql(
                'mutation($s: String!) { addToCart(sku: $s, quantity: 1) { subtotalCents } }',
                { s: sku },
                token,
              );
              const answer = await gql<{ checkout: { id: string } }>(
                'mutation($i: CheckoutInput!) { checkout(input: $i) { id } }',
                {
                  i: {
                    idempotencyKey: randomUUID(),
                    paymentToken: 'tok_visa',
                    shippingAddress: ADDRESS,
                  },
                },
                token,
              );
              const id = answer.data?.checkout.id;
              if (id) {
                orderIds.push(id);
              } else failed += 1;
            } catch {
              failed += 1;
            } finally {
              busy.delete(shopper);
            }
          })(),
        );
        if (running.length > 1_000) running.splice(0, running.length - 1_000);
      }
      await Promise.allSettled(running);
    } finally {
      clearInterval(sampler);
    }
    // The orders' own work drains, then memory is given its minute to come back.
    await sleep(60_000);
    const afterMb = sample();
    const confirmed = await countConfirmed(infra.MONGODB_URI, dbName, orderIds);

    const after = samples.filter((s) => s.minute >= settings.warmupMinutes);
    const names = Object.keys(pids);
    return {
      settings,
      offered,
      confirmed,
      failed,
      idleMb,
      samples,
      afterMb,
      slopeMbPerMinute: Object.fromEntries(
        names.map((name) => [name, slope(after.map((s) => ({ x: s.minute, y: s.mb[name] ?? 0 })))]),
      ),
      peakMb: Object.fromEntries(
        names.map((name) => [name, Math.max(0, ...samples.map((s) => s.mb[name] ?? 0))]),
      ),
    };
  } finally {
    await platform.stop();
  }
}

/** Confirmed orders among those placed, read from the database (from outside, as tests do). */
async function countConfirmed(
  uri: string,
  dbName: string,
  ids: readonly string[],
): Promise<number> {
  const client = new MongoClient(uri);
  try {
    return await client
      .db(dbName)
      .collection('orders')
      .countDocuments({ _id: { $in: ids.map((id) => new ObjectId(id)) }, status: 'CONFIRMED' });
  } finally {
    await client.close();
  }
}
