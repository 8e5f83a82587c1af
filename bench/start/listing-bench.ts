import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../localstack/infra/paths.js';
import { eventually, freePort } from '../../test-support/eventually.js';
import { spawnWatched } from '../../test-support/watched-process.js';
import { type LoadResult, runClosedLoop } from '../lib/closed-loop.js';
import { processCpuMs } from '../lib/process-cpu.js';

/** The storefront's catalog page: the first 20 products with their stock. */
export const LISTING_QUERY =
  '{ products(first: 20) { edges { cursor node { id sku slug name description category priceCents currency createdAt stock { sku available reserved } } } pageInfo { hasNextPage endCursor } } }';

/** One way of running `npm start`: its node flags and environment. */
export interface StartVariant {
  name: string;
  nodeFlags: string[];
  env: Record<string, string>;
}

/** The node flags of `npm start`, read from its script in package.json: the bench runs what it runs. */
export function npmStartNodeFlags(): string[] {
  const scripts = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).scripts;
  const command = /exec node (.*?)--import tsx localstack\/start\.ts/.exec(String(scripts.start));
  if (!command) throw new Error('package.json: npm start no longer runs localstack/start.ts');
  return (command[1] ?? '').split(/\s+/).filter(Boolean);
}

/** `npm start` as it is, then what each variant changes, for the cost of each setting. */
export function startVariants(): StartVariant[] {
  const flags = npmStartNodeFlags();
  const without = flags.filter((flag) => !flag.startsWith('--max-semi-space-size'));
  return [
    {
      name: `as \`npm start\` runs it (node ${flags.join(' ') || 'without flags'})`,
      nodeFlags: flags,
      env: {},
    },
    // The young generation's size against the other choice: V8's default, or the 4 MB one
    // `npm start` used until 2026-12-03 (docs/decisions.md).
    without.length < flags.length
      ? {
          name: "V8's default young generation (no --max-semi-space-size)",
          nodeFlags: without,
          env: {},
        }
      : {
          name: 'a 4 MB young generation (--max-semi-space-size=4)',
          nodeFlags: [...flags, '--max-semi-space-size=4'],
          env: {},
        },
    {
      name: 'every request logged (ORDERLY_TOOL_LOG_LEVEL=debug)',
      nodeFlags: flags,
      env: { ORDERLY_TOOL_LOG_LEVEL: 'debug' },
    },
    // Other young-generation sizes to weigh (MB, comma-separated).
    ...(process.env.BENCH_LISTING_SEMI_SPACE_MB ?? '')
      .split(',')
      .filter(Boolean)
      .map((mb) => ({
        name: `--max-semi-space-size=${mb}`,
        nodeFlags: [...without, `--max-semi-space-size=${mb}`],
        env: {},
      })),
  ];
}

export interface ListingCase {
  variant: string;
  load: LoadResult;
  /** CPU of the `npm start` process per answered listing, ms. */
  platformCpuMsPerRequest: number;
  /** This variant's requests/s ÷ the first variant's (`npm start` as it is). */
  ratio: number;
}

export interface ListingBenchResult {
  settings: { requests: number; concurrency: number };
  cases: ListingCase[];
}

/**
 * The catalog listing through `npm start` itself, over HTTP, as a shopper's browser (or an
 * outside benchmark) reaches it: the platform started in embedded mode on the servers already
 * running, the demo catalog seeded, then `requests` listings closed-loop with `concurrency` in
 * flight. Each variant is a fresh start of the same command, so the variants compare like with
 * like in the same run.
 */
export async function benchListing(
  infra: { KAFKA_BROKERS: string; MONGODB_URI: string; AWS_ENDPOINT_URL: string },
  settings = { requests: 3_000, concurrency: 50 },
  variants: StartVariant[] = startVariants(),
): Promise<ListingBenchResult> {
  const dbName = `bench_listing_${randomUUID().slice(0, 8)}`;
  // A first start seeds the demo catalog and lets its pictures be processed, unmeasured; every
  // variant then starts on the same, settled catalog.
  const seeding = await startPlatform(infra, dbName, variants[0] as StartVariant);
  await new Promise((resolve) => setTimeout(resolve, 15_000));
  await seeding.stop();
  // Each variant runs twice, the list forward then backward, and keeps its faster run, so
  // neither warm caches nor a noisy moment favour the variant that happens to run later.
  const best = new Map<string, ListingCase>();
  for (const variant of [...variants, ...[...variants].reverse()]) {
    const platform = await startPlatform(infra, dbName, variant);
    try {
      const list = async () => {
        const response = await fetch(platform.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: LISTING_QUERY }),
        });
        const body = (await response.json()) as { data?: { products?: { edges: unknown[] } } };
        if (response.status !== 200 || !body.data?.products?.edges.length) {
          throw new Error(`listing answered ${response.status}`);
        }
      };
      await runClosedLoop(300, settings.concurrency, list); // warm-up
      const cpuBefore = processCpuMs(platform.pid) ?? 0;
      const load = await runClosedLoop(settings.requests, settings.concurrency, list);
      const cpu = (processCpuMs(platform.pid) ?? 0) - cpuBefore;
      if (load.errors > 0) throw new Error(`${variant.name}: ${load.errors} listings failed`);
      const measured = {
        variant: variant.name,
        load,
        platformCpuMsPerRequest: Math.round((cpu / Math.max(load.ops, 1)) * 100) / 100,
        ratio: 1,
      };
      const earlier = best.get(variant.name);
      if (!earlier || load.ratePerSecond > earlier.load.ratePerSecond) {
        best.set(variant.name, measured);
      }
    } finally {
      await platform.stop();
    }
  }
  const cases = variants.map((variant) => best.get(variant.name) as ListingCase);
  const base = cases[0]?.load.ratePerSecond ?? 1;
  for (const c of cases) c.ratio = Math.round((c.load.ratePerSecond / base) * 100) / 100;
  return { settings, cases };
}

/** Starts the platform as `npm start` does (start.ts), until it prints its table. */
export async function startPlatform(
  infra: Record<string, string>,
  dbName: string,
  variant: StartVariant,
): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const started = spawnWatched(
    process.execPath,
    [...variant.nodeFlags, '--import', 'tsx', 'localstack/start.ts'],
    {
      cwd: REPO_ROOT,
      detached: true,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        MALLOC_ARENA_MAX: '2',
        ...infra,
        PORT: `${port}`,
        INVENTORY_GRPC_ADDR: `127.0.0.1:${await freePort()}`,
        MONGODB_DB: dbName,
        // The gateway's per-address limit would answer most of this load with 429.
        GATEWAY_RATE_LIMIT_PER_MINUTE: '100000000',
        ...variant.env,
      },
    },
  );
  const pid = started.child.pid as number;
  const stop = async () => {
    try {
      process.kill(-pid, 'SIGINT');
    } catch {
      return; // already gone
    }
    if ((await started.exitWithin(60_000)) === 'still running') process.kill(-pid, 'SIGKILL');
  };
  try {
    await Promise.race([
      eventually(() => started.stdout().includes('Press Ctrl-C to stop'), 180_000, 'ready'),
      started.exited.then((code) => {
        throw new Error(`npm start ended (${code}): ${started.stderr().slice(-2_000)}`);
      }),
    ]);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `http://127.0.0.1:${port}/graphql`, pid, stop };
}
