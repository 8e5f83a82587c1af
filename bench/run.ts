import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { MongoClient } from 'mongodb';
import { ensureChromium } from '../localstack/infra/chromium.js';
import { infraDown, infraUp } from '../localstack/infra/infra.js';
import { REPO_ROOT } from '../localstack/infra/paths.js';
import { ensureStorefrontBuilt } from '../localstack/platform/storefront-build.js';
import { createLogger } from '../shared/logger/logger.js';
import { createToolLogger } from '../shared/logger/tool-logger.js';
import { DURABLE } from '../shared/mongo/mongo-client.js';
import { benchPasswords, type PasswordBenchResult } from './accounts/password-bench.js';
import { benchCatalog, type CatalogBenchResult } from './catalog/catalog-bench.js';
import {
  catalogFigures,
  flashSaleFigures,
  functionsFigures,
  gatewayFigures,
  inventoryFigures,
  memoryFigures,
  sagaFigures,
  soakFigures,
  storefrontFigures,
  tracingFigures,
} from './figures.js';
import { benchCatalogThroughput, type ThroughputResult } from './functions/catalog-throughput.js';
import { benchColdStarts, type ColdStart } from './functions/cold-start.js';
import { benchGateway, type GatewayBenchResult } from './gateway/gateway-bench.js';
import { benchInventory, type InventoryBenchResult } from './inventory/reserve-bench.js';
import type { LoadResult } from './lib/closed-loop.js';
import { benchIdleMemory, type IdleMemoryResult } from './memory/idle-memory.js';
import { benchDurability, type DurabilityBenchResult } from './mongo/durability-bench.js';
import { benchGroupedWrites, type GroupedWritesResult } from './mongo/grouped-writes-bench.js';
import { benchCpuSplit, type CpuSplitResult } from './saga/cpu-split.js';
import { benchFlashSale, type FlashSaleResult } from './saga/flash-sale.js';
import { benchSaga, type SagaBenchResult, SUSTAINED_P99_MS } from './saga/saga-bench.js';
import { benchSoak, type SoakResult } from './saga/soak.js';
import { benchListing, type ListingBenchResult } from './start/listing-bench.js';
import { benchStorefront, type StorefrontBenchResult } from './storefront/storefront-bench.js';
import { type FigureInput, writeSummary } from './summary.js';
import {
  benchTracing,
  type Ratios,
  TRACING_MODES,
  type TracingBenchResult,
  type TracingMode,
  type TracingRun,
} from './tracing/tracing-bench.js';

/** One Markdown table row of a closed-loop result. */
function loadRow(name: string, r: LoadResult): string {
  return `| ${name} | ${r.ratePerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.errors} |`;
}

/**
 * `npm run bench`: brings up the infrastructure, runs the benchmarks and writes their results
 * to bench/results/ (JSON for tools, Markdown for people). Figures are ratios against a
 * baseline measured in the same run, because absolute rates vary from machine to machine.
 */
const logger = createToolLogger('bench');
/** `BENCH_RESULTS_DIR` keeps a run apart (say, one on mongo-java-server for comparison). */
const RESULTS_DIR = process.env.BENCH_RESULTS_DIR
  ? resolve(process.env.BENCH_RESULTS_DIR)
  : join(REPO_ROOT, 'bench', 'results');

/** The summary's figures of the benchmarks this run measured, by benchmark. */
const measured: Record<string, FigureInput[]> = {};

/** Writes a benchmark's figures (`name.json`) and its readable report (`name.md`); returns the report. */
function writeResults(name: string, figures: unknown, report: string): string {
  writeFileSync(join(RESULTS_DIR, `${name}.json`), `${JSON.stringify(figures, null, 2)}\n`);
  writeFileSync(join(RESULTS_DIR, `${name}.md`), report);
  return report;
}

function markdown(result: InventoryBenchResult, servers: string[]): string {
  return [
    '# Inventory benchmark',
    '',
    `Run ${new Date().toISOString()} on ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; ${result.settings.calls} calls per case, ${result.settings.concurrency} in flight, ${result.settings.skus} SKUs for the spread case.`,
    `Servers: ${servers.join('; ')}.`,
    '',
    '| case | calls/s | p50 ms | p99 ms | errors |',
    '| --- | ---: | ---: | ---: | ---: |',
    loadRow('Hold over gRPC, spread', result.holdSpread),
    loadRow('bare findOneAndUpdate, spread', result.bareUpdateSpread),
    loadRow('Reserve over gRPC, spread', result.reserveSpread),
    loadRow('Hold over gRPC, one hot SKU', result.holdHot),
    loadRow('bare findOneAndUpdate, one hot SKU', result.bareUpdateHot),
    loadRow('Reserve over gRPC, one hot SKU', result.reserveHot),
    '',
    `Ratio Hold (what a checkout asks) / bare update: spread ${result.holdRatioSpread} (goal 0.8), hot ${result.holdRatioHot} (goal 0.6).`,
    `Ratio Reserve (a reservation document of inventory's own) / bare update: spread ${result.ratioSpread}, hot ${result.ratioHot}.`,
    '',
  ].join('\n');
}

function functionsMarkdown(
  throughput: ThroughputResult,
  cold: { emptyMs: number; functions: ColdStart[] },
  requests: number,
  servers: string[],
): string {
  return [
    '# HTTP functions benchmark',
    '',
    `Run ${new Date().toISOString()} on ${cpus().length} cores; catalog \`GET /products?first=20\` (50 products), ${requests} requests per path, 8 in flight.`,
    `Servers: ${servers.join('; ')}.`,
    '',
    '| path | requests/s | p50 ms | p99 ms | errors |',
    '| --- | ---: | ---: | ---: | ---: |',
    loadRow('app.inject()', throughput.inject),
    loadRow('Lambda handler, API Gateway v2 event', throughput.lambda),
    loadRow('bare Fastify route, same query', throughput.bareFastify),
    '',
    `Lambda / inject: ${throughput.lambdaToInject} (goal 0.9). inject / bare Fastify: ${throughput.injectToBare}.`,
    '',
    `Cold start (new process: import the esbuild bundle, serve a first request, MongoDB connection included; median of 5). Empty handler: ${cold.emptyMs} ms.`,
    '',
    '| function | bundle KB | cold start ms | / empty handler (goal <= 2) |',
    '| --- | ---: | ---: | ---: |',
    ...cold.functions.map(
      (f) =>
        `| ${f.function} | ${Math.round(f.bundleBytes / 1024)} | ${f.coldStartMs} | ${f.ratioToEmpty} |`,
    ),
    '',
  ].join('\n');
}

async function runFunctionsBench(
  settings: { MONGODB_URI: string; KAFKA_BROKERS: string },
  servers: string[],
): Promise<string> {
  const requests = Number(process.env.BENCH_REQUESTS ?? 3_000);
  logger.info({ requests }, 'functions: catalog list three ways, and cold starts');
  const mongo = new MongoClient(settings.MONGODB_URI, DURABLE);
  const dbName = `bench_functions_${Date.now()}`;
  try {
    const throughput = await benchCatalogThroughput(mongo.db(dbName), requests);
    const cold = await benchColdStarts({
      NODE_ENV: 'production',
      MONGODB_URI: settings.MONGODB_URI,
      MONGODB_DB: dbName,
      KAFKA_BROKERS: settings.KAFKA_BROKERS,
      JWT_SECRET: 'bench-secret-that-is-long-enough-0123456',
      INVENTORY_ADDR: '127.0.0.1:1',
      INVENTORY_PROTO_PATH: join(REPO_ROOT, 'protos', 'inventory.proto'),
      // The catalog's media bucket, as the stage sets it (no call reaches S3 on these paths).
      MEDIA_BUCKET: 'orderly-bench-media',
      MEDIA_BASE_URL: 'https://media.example.com',
      AWS_REGION: 'us-east-1',
      // What a deployed stage must name (production mode refuses to start without them).
      SHOP_URL: 'https://shop.example.com',
      PAYMENT_PROVIDER: 'test',
      ALLOW_TEST_PAYMENTS: 'true',
      LOG_LEVEL: 'error',
      // What serverless.yml's default stage deploys (params metricsExporter, tracesExporter).
      OTEL_METRICS_EXPORTER: 'emf',
      OTEL_TRACES_EXPORTER: 'none',
    });
    measured.functions = functionsFigures(throughput, cold);
    return writeResults(
      'functions',
      { throughput, cold },
      functionsMarkdown(throughput, cold, requests, servers),
    );
  } finally {
    await mongo.db(dbName).dropDatabase();
    await mongo.close();
  }
}

async function runInventoryBench(
  infra: Awaited<ReturnType<typeof infraUp>>,
  servers: string[],
): Promise<string> {
  const calls = Number(process.env.BENCH_CALLS ?? 3_000);
  logger.info({ calls }, 'inventory: Reserve over gRPC vs bare conditional update');
  const result = await benchInventory({
    mongoUri: infra.settings.MONGODB_URI,
    kafkaBrokers: infra.settings.KAFKA_BROKERS,
    calls,
  });
  measured.inventory = inventoryFigures(result);
  return writeResults('inventory', result, markdown(result, servers));
}

function durabilityMarkdown(result: DurabilityBenchResult): string {
  return [
    '# Database durability settings benchmark',
    '',
    `Run ${new Date().toISOString()} on ${cpus().length} cores against ${result.server}; ${result.settings.ops} operations per case at 64 in flight, up to 1000 at 1 in flight. Each case ran twice (its group forward, then backward); the faster run is shown. Ratios compare each setting with the fastest one of the same operation and concurrency.`,
    '',
    '| operation, setting | in flight | ops/s | p50 ms | p99 ms | ratio to fastest |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...result.cases.map(
      (c) =>
        `| ${c.name} | ${c.concurrency} | ${c.result.ratePerSecond} | ${c.result.p50Ms} | ${c.result.p99Ms} | ${c.ratioToFastest} |`,
    ),
    '',
  ].join('\n');
}

async function runDurabilityBench(mongoUri: string): Promise<string> {
  const ops = Number(process.env.BENCH_CALLS ?? 3_000);
  logger.info({ ops }, 'mongo: write and read concerns against each other');
  const result = await benchDurability({ mongoUri, ops });
  return writeResults('mongo', result, durabilityMarkdown(result));
}

function groupedWritesMarkdown(result: GroupedWritesResult): string {
  const { groups, groupSize, inFlightDocuments } = result.settings;
  const cpu = (ms: number | null) => (ms === null ? 'n/a' : String(ms));
  return [
    '# Grouped against single writes',
    '',
    `Run ${new Date().toISOString()} on ${cpus().length} cores against ${result.server}, every write durable (w: majority, journaled). ${groups * groupSize} writes per case: ${groupSize} writes sent as ${groupSize} commands (${inFlightDocuments} in flight) or as one command (\`bulkWrite\`/\`insertMany\`, ${inFlightDocuments / groupSize} in flight); for one hot SKU also as one merged \`$inc\`. Every write is checked to have applied. Each shape ran twice (forward, then backward, on fresh documents); the faster run is shown. CPU from /proc (mongod, 10 ms resolution) and from the process (client: driver and BSON). Ratios against the ${groupSize}-commands shape of the same operation.`,
    '',
    '| operation | shape | writes/s | p50 ms | p99 ms | mongod CPU ms / write | client CPU ms / write | rate ratio | mongod CPU ratio |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...result.cases.map(
      (c) =>
        `| ${c.operation} | ${c.shape} | ${c.writesPerSecond} | ${c.p50Ms} | ${c.p99Ms} | ${cpu(c.mongodCpuMsPerWrite)} | ${c.clientCpuMsPerWrite} | ${c.rateRatio} | ${c.mongodCpuRatio ?? 'n/a'} |`,
    ),
    '',
    'p50/p99 are per command: for one command, the latency of the whole group of writes.',
    '',
  ].join('\n');
}

async function runGroupedWritesBench(mongoUri: string): Promise<string> {
  const groups = Number(process.env.BENCH_GROUPS ?? 200);
  logger.info({ groups }, 'mongo: grouped against single writes');
  const result = await benchGroupedWrites({ mongoUri, groups });
  return writeResults('grouped-writes', result, groupedWritesMarkdown(result));
}

function cpuSplitMarkdown(result: CpuSplitResult, servers: string[]): string {
  const { ratePerSecond, seconds } = result.settings;
  const { platform, mongod, kafka } = result.perOrderMs;
  const total = platform + (mongod ?? 0) + (kafka ?? 0);
  const plain = result.unprofiledPerOrderMs;
  const plainTotal = plain.platform + (plain.mongod ?? 0) + (plain.kafka ?? 0);
  return [
    "# Where one checkout's CPU goes",
    '',
    `Run ${new Date().toISOString()} on ${cpus().length} cores. Servers: ${servers.join('; ')}. Checkouts at ${ratePerSecond}/s for ${seconds} s through the embedded platform (the saga benchmark's harness, warmed up, carts filled before the clock), ${result.confirmed} confirmed. CPU of each process from /proc and \`process.cpuUsage\`, per confirmed order; the platform's split from the V8 profiler (sampling every 0.5 ms), each sample charged to the nearest frame with a source file, so a built-in (JSON, Buffer, crypto) counts for the code that called it.`,
    '',
    '| process | CPU ms per order, profiled | the same load just before, not profiled |',
    '| --- | ---: | ---: |',
    `| platform (one Node process: functions, emulator, inventory, background jobs) | ${platform} | ${plain.platform} |`,
    `| mongod | ${mongod ?? 'n/a'} | ${plain.mongod ?? 'n/a'} |`,
    `| Kafka | ${kafka ?? 'n/a'} | ${plain.kafka ?? 'n/a'} |`,
    `| **total** | **${Math.round(total * 100) / 100}** | **${Math.round(plainTotal * 100) / 100}** |`,
    '',
    `In the same run, per order: ${result.perOrder.dbWrites} database write commands (${result.perOrder.dbDocumentsWritten} documents written, ${result.perOrder.providerDocumentsWritten} of them the payment provider stand-in's), ${result.perOrder.dbReads} reads (less the background jobs' polling), ${result.perOrder.kafkaRecords} Kafka records. "Socket sends" is the send system call itself: on loopback it also runs the receiving side of TCP and wakes the receiver, which on this virtual machine is dear; it is counted for the library that wrote.`,
    '',
    '| platform CPU, by code | ms per order | share |',
    '| --- | ---: | ---: |',
    ...result.platformSplit.map(
      (row) => `| ${row.what} | ${row.msPerOrder} | ${Math.round(row.share * 100)}% |`,
    ),
    '',
  ].join('\n');
}

async function runCpuSplitBench(servers: string[]): Promise<string> {
  logger.info("saga-cpu: where one checkout's CPU goes");
  const result = await benchCpuSplit(createLogger({ name: 'saga-cpu', level: 'error' }));
  return writeResults('saga-cpu', result, cpuSplitMarkdown(result, servers));
}

function listingMarkdown(result: ListingBenchResult, servers: string[]): string {
  const { requests, concurrency } = result.settings;
  return [
    '# The catalog listing through `npm start`',
    '',
    `Run ${new Date().toISOString()} on ${cpus().length} cores. Servers: ${servers.join('; ')}. \`products(first: 20)\` with stock over HTTP to the gateway of \`localstack/start.ts\` (what \`npm start\` runs, embedded mode, demo catalog), ${requests} requests closed-loop with ${concurrency} in flight after 300 to warm up; each variant a fresh start on the same catalog, in the same run, twice (the list forward, then backward), the faster run shown. CPU is the platform process's per request (from /proc); the load generator shares the two cores. Ratio: requests/s over the first row's.`,
    '',
    '| variant | requests/s | p50 ms | p99 ms | platform CPU ms / request | ratio |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...result.cases.map(
      (c) =>
        `| ${c.variant} | ${c.load.ratePerSecond} | ${c.load.p50Ms} | ${c.load.p99Ms} | ${c.platformCpuMsPerRequest} | ${c.ratio} |`,
    ),
    '',
  ].join('\n');
}

async function runListingBench(
  settings: { KAFKA_BROKERS: string; MONGODB_URI: string; AWS_ENDPOINT_URL: string },
  servers: string[],
): Promise<string> {
  logger.info('listing: the catalog listing through npm start');
  const result = await benchListing(settings);
  return writeResults('listing', result, listingMarkdown(result, servers));
}

function soakMarkdown(result: SoakResult, servers: string[]): string {
  const { settings } = result;
  const names = Object.keys(result.idleMb);
  const mb = (values: Record<string, number>) => names.map((name) => values[name] ?? 0).join(' | ');
  const every = Math.max(1, Math.round(result.samples.length / 20));
  return [
    '# Soak: memory under a steady load',
    '',
    `Run ${new Date().toISOString()} on ${cpus().length} cores. Servers: ${servers.join('; ')}.`,
    '',
    `\`npm start\` as it runs (its own process, its node flags), ${settings.shoppers} shoppers each adding a mug and checking out through GraphQL, one order offered every ${Math.round(1000 / settings.ratePerSecond)} ms (${settings.ratePerSecond}/s) for ${settings.minutes} min: ${result.offered} offered, ${result.confirmed} confirmed, ${result.failed} not placed (a shopper still waiting for the last one, or an error). Resident memory (RSS, /proc) of each process every 10 s; the slope is a least-squares fit after a ${settings.warmupMinutes}-min warm-up; "after" is 60 s after the load stopped.`,
    '',
    `| | ${names.join(' | ')} |`,
    `| --- | ${names.map(() => '---:').join(' | ')} |`,
    `| idle before, MB | ${mb(result.idleMb)} |`,
    `| peak under load, MB | ${mb(result.peakMb)} |`,
    `| 60 s after the load, MB | ${mb(result.afterMb)} |`,
    `| slope after warm-up, MB/min | ${mb(result.slopeMbPerMinute)} |`,
    '',
    `| minute | ${names.join(' | ')} |`,
    `| ---: | ${names.map(() => '---:').join(' | ')} |`,
    ...result.samples
      .filter((_, i) => i % every === 0 || i === result.samples.length - 1)
      .map((sample) => `| ${sample.minute} | ${mb(sample.mb)} |`),
    '',
  ].join('\n');
}

async function runSoakBench(
  settings: { KAFKA_BROKERS: string; MONGODB_URI: string; AWS_ENDPOINT_URL: string },
  servers: string[],
): Promise<string> {
  logger.info('soak: npm start under a steady load, its memory sampled');
  const result = await benchSoak(settings);
  measured.soak = soakFigures(result);
  return writeResults('soak', result, soakMarkdown(result, servers));
}

function passwordsMarkdown(result: PasswordBenchResult): string {
  return [
    '# Password checks',
    '',
    `Run ${new Date().toISOString()} on ${cpus().length} cores, Node ${process.version}. \`verifyPassword\` (functions/accounts/password.ts) against a hash at today's cost and at the cost before 2026-12-03, ${result.settings.checks} checks per case, one and four in flight (scrypt runs on libuv's four threads), in the same run. Ratio: today's p50 over before's at the same concurrency.`,
    '',
    '| cost | in flight | checks/s | p50 ms | p99 ms | p50 ratio |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...result.cases.map(
      (c) =>
        `| ${c.name} | ${c.concurrency} | ${c.result.ratePerSecond} | ${c.result.p50Ms} | ${c.result.p99Ms} | ${c.ratioToOld} |`,
    ),
    '',
  ].join('\n');
}

async function runPasswordsBench(): Promise<string> {
  logger.info("passwords: scrypt at today's cost against the cost before");
  const result = await benchPasswords();
  return writeResults('passwords', result, passwordsMarkdown(result));
}

function sagaMarkdown(result: SagaBenchResult, servers: string[]): string {
  const { settings, bareHops, knee } = result;
  const row = (name: string, r: SagaBenchResult['bareHops'], extra: string) =>
    `| ${name} | ${r.offered} | ${r.completed} | ${r.completedPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.maxMs} | ${extra} |`;
  return [
    '# Checkout saga benchmark',
    '',
    `Run ${new Date().toISOString()} on ${cpus().length} cores. Servers: ${servers.join('; ')}.`,
    '',
    `Checkouts offered at fixed rates, ${settings.seconds} s each, stopping after the first rate not sustained (every order confirmed, completed/s within 10% of offered, p99 within ${SUSTAINED_P99_MS} ms). Embedded mode, one process: the orders function (inject), the outbox, Kafka, the event-source emulator, order-saga (which asks the payment provider within its step), notifications and gRPC inventory. Each shopper's cart is filled before the clock starts and the counters are read (browsing, not the checkout). Latency from the checkout request to the OrderConfirmed record. Per order: database write commands, the documents they wrote (inserted, updated or deleted: a bulk write of 32 updates is one command and 32 documents) and read commands (every client's, the payment provider stand-in's too, from the server's counters; the stand-in's documents, Stripe's own writes in production, are also shown on their own and left out of the documents figure; less the background jobs' polling measured over 3 s with no order moving just before each step) and Kafka records produced. Baseline in the same run: a record passed along ${settings.bareHops} Kafka topics by consumers that only produce it on (the emulator's fetch settings), and checkouts, at ${settings.bareRate}/s for 10 s.`,
    '',
    "| path | offered | completed | completed/s | p50 ms | p99 ms | max ms | sustained; DB writes (documents, the provider stand-in's of them) / reads, Kafka records per order |",
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    row(`bare Kafka, ${settings.bareHops} hops, ${settings.bareRate}/s`, bareHops, ''),
    row(`checkout to CONFIRMED, ${settings.bareRate}/s`, result.lowRate, ''),
    ...result.steps.map((step) =>
      row(
        `checkout to CONFIRMED, ${step.offeredPerSecond}/s`,
        step,
        `${step.sustained ? 'yes' : '**no**'}; ${step.perOrder.dbWrites} (${step.perOrder.dbDocumentsWritten}, ${step.perOrder.providerDocumentsWritten}) / ${step.perOrder.dbReads}, ${step.perOrder.kafkaRecords}`,
      ),
    ),
    '',
    `Knee: **${knee.ordersPerSecond} orders/s sustained**${knee.step ? `, p50 ${knee.step.p50Ms} ms, p99 ${knee.step.p99Ms} ms` : ''} (goal: 150/s with p99 <= 2000 ms). Most confirmed per second in any step: ${result.peakCompletedPerSecond}.`,
    `p50 checkout to CONFIRMED at ${settings.bareRate}/s / p50 of ${settings.bareHops} bare hops: ${result.p50RatioToBareHops} (goal < 1).`,
    '',
  ].join('\n');
}

async function runSagaBench(servers: string[]): Promise<string> {
  logger.info('saga: checkouts at a ladder of fixed rates, and bare Kafka hops');
  const result = await benchSaga(createLogger({ name: 'saga', level: 'error' }));
  measured.saga = sagaFigures(result);
  return writeResults('saga', result, sagaMarkdown(result, servers));
}

function flashSaleMarkdown(result: FlashSaleResult, servers: string[]): string {
  return [
    '# Flash sale benchmark',
    '',
    `Run ${new Date().toISOString()} on ${cpus().length} cores. Servers: ${servers.join('; ')}.`,
    '',
    `Shoppers with one unit of the same SKU in their cart (filled before the clock starts) all check out at once, through the embedded platform (the saga benchmark's harness, warmed up by a sale of 40 for 10). Times from the first checkout sent; each order's time to final from its own checkout to its OrderConfirmed or OrderCancelled record. Exact: confirmed = sold = units, nothing left reserved or available. Goal for 500 for 50: every order final within ${result.finalWithinMs / 1000} s.`,
    '',
    '| sale | confirmed | cancelled | open | stock after (available / reserved / sold) | exact | last checkout answered ms | every order final ms | to final p50 / p99 ms | checkout answer p50 / p99 ms |',
    '| --- | ---: | ---: | ---: | --- | --- | ---: | ---: | --- | --- |',
    ...result.runs.map(
      (run) =>
        `| ${run.shoppers} for ${run.units} | ${run.confirmed} | ${run.cancelled} | ${run.open} | ${run.stock.available} / ${run.stock.reserved} / ${run.stock.sold} | ${run.exact ? 'yes' : '**no**'} | ${run.lastAnsweredMs} | ${run.allFinalMs} | ${run.finalP50Ms} / ${run.finalP99Ms} | ${run.answerP50Ms} / ${run.answerP99Ms} |`,
    ),
    '',
  ].join('\n');
}

async function runFlashSaleBench(servers: string[]): Promise<string> {
  logger.info('flash-sale: every shopper at once for a few units of one SKU');
  const result = await benchFlashSale(createLogger({ name: 'flash-sale', level: 'error' }));
  measured['flash-sale'] = flashSaleFigures(result);
  return writeResults('flash-sale', result, flashSaleMarkdown(result, servers));
}

function gatewayMarkdown(result: GatewayBenchResult, servers: string[]): string {
  const { settings } = result;
  return [
    '# GraphQL gateway benchmark',
    '',
    `Run ${new Date().toISOString()} on ${cpus().length} cores. \`products(first: 20) { ... stock }\` (${settings.products} products), ${settings.requests} requests per path, ${settings.concurrency} in flight, functions in process (inject), inventory over gRPC.`,
    `Servers: ${servers.join('; ')}.`,
    '',
    '| path | requests/s | p50 ms | p99 ms | errors |',
    '| --- | ---: | ---: | ---: | ---: |',
    loadRow('bare: catalog route + one GetStock', result.bare),
    loadRow('gateway (JIT and query cache on)', result.gateway),
    loadRow('gateway, JIT off', result.gatewayWithoutJit),
    loadRow('gateway, query cache off', result.gatewayWithoutCache),
    '',
    `Gateway / bare: ${result.ratio} (goal >= 0.6).`,
    '',
  ].join('\n');
}

async function runGatewayBench(servers: string[]): Promise<string> {
  logger.info('gateway: products with stock through GraphQL against the bare catalog route');
  const result = await benchGateway(createLogger({ name: 'gateway', level: 'error' }));
  measured.gateway = gatewayFigures(result);
  return writeResults('gateway', result, gatewayMarkdown(result, servers));
}

function storefrontMarkdown(result: StorefrontBenchResult, servers: string[]): string {
  const row = (name: string, t: StorefrontBenchResult['catalogShown']) =>
    `| ${name} | ${t.samples} | ${t.p50Ms} | ${t.p99Ms} | ${t.maxMs} |`;
  const kb = (bytes: number) => (bytes / 1024).toFixed(1);
  const { firstPageJs, ratios } = result;
  return [
    '# Storefront benchmark',
    '',
    `Run ${new Date().toISOString()} on ${cpus().length} cores; Chromium (Debian's chromium-headless-shell) through playwright-core, ${result.settings.viewport} viewport, against the whole platform in embedded mode. ${result.settings.navigations} catalog navigations, each in a new browser context (empty cache); ${result.settings.adds} adds per cart kind.`,
    `Servers: ${servers.join('; ')}.`,
    '',
    `First page JavaScript: ${firstPageJs.files} file(s), ${kb(firstPageJs.bytes)} kB, **${kb(firstPageJs.gzipBytes)} kB gzip** (goal < 60 kB). The admin, loaded only when opened: ${kb(result.adminChunkGzipBytes)} kB gzip.`,
    '',
    '| what | samples | p50 ms | p99 ms | max ms |',
    '| --- | ---: | ---: | ---: | ---: |',
    row('catalog: navigation to first product on screen', result.catalogShown),
    row('baseline: the same products query from Node', result.catalogQuery),
    row('add to cart (signed in): click to "Added to cart"', result.addToCartSignedIn),
    row('add to cart (guest, browser cart)', result.addToCartGuest),
    row('baseline: the addToCart mutation from Node', result.addToCartMutation),
    '',
    `Goals: catalog on screen within 1000 ms (p50 ${result.catalogShown.p50Ms}, p99 ${result.catalogShown.p99Ms}); add to cart answers within 200 ms (signed in p50 ${result.addToCartSignedIn.p50Ms}, p99 ${result.addToCartSignedIn.p99Ms}).`,
    `Ratios to the same-run baselines (p50): catalog page / query ${ratios.catalogShownToQuery}; add to cart on screen / mutation ${ratios.addToCartToMutation}.`,
    '',
  ].join('\n');
}

async function runStorefrontBench(servers: string[]): Promise<string> {
  logger.info('storefront: first-page JavaScript, catalog on screen, add to cart, in Chromium');
  await ensureStorefrontBuilt(logger);
  process.env.CHROMIUM_PATH = await ensureChromium(logger);
  const result = await benchStorefront();
  measured.storefront = storefrontFigures(result);
  return writeResults('storefront', result, storefrontMarkdown(result, servers));
}

function catalogMarkdown(result: CatalogBenchResult, servers: string[]): string {
  const { small, large, ratios, settings } = result;
  const row = (
    what: string,
    key: 'search' | 'productPage' | 'catalogShown' | 'soldOutLeavesSearch',
  ) =>
    [small, large].map(
      (run) =>
        `| ${what} | ${run.products.toLocaleString('en')} | ${run[key].samples} | ${run[key].p50Ms} | ${run[key].p99Ms} | ${run[key].maxMs} |`,
    );
  return [
    '# Catalog benchmark',
    '',
    `Run ${new Date().toISOString()} on ${cpus().length} cores, the whole platform in embedded mode (one process: gateway, functions, catalog-events, inventory gRPC), Chromium (Debian's chromium-headless-shell) for the page. Two catalogs made by the same generator (bench/catalog/catalog-fixture.ts: five sizes per product in one of eight colours, ten categories, four collections) and imported from CSV through LocalStack S3: ${small.products} products and ${large.products.toLocaleString('en')} products with ${large.variants.toLocaleString('en')} variants. ${settings.queries} queries per case, one at a time after 10 warm-up queries; ${settings.navigations} page loads, each in a new browser context (empty cache).`,
    `Servers: ${servers.join('; ')}.`,
    '',
    `CSV import of ${large.products.toLocaleString('en')} products (${(large.import.csvBytes / 2 ** 20).toFixed(1)} MB): **${large.import.seconds} s, ${large.import.productsPerSecond} products/s** (${small.products} products: ${small.import.seconds} s), from importProducts to SUCCEEDED, first stock included.`,
    '',
    '| what | products | samples | p50 ms | p99 ms | max ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...row('search: category and size filters, in stock only, every facet, 20 products', 'search'),
    ...row("product page query (variants, each variant's stock, pictures)", 'productPage'),
    ...row('catalog page: navigation to first product on screen', 'catalogShown'),
    ...row(
      'last unit sold: stock reads 0 to in-stock search leaving it out',
      'soldOutLeavesSearch',
    ),
    '',
    `Large / small catalog (p50, p99): search ${ratios.search.p50}, ${ratios.search.p99}; product page ${ratios.productPage.p50}, ${ratios.productPage.p99}; catalog on screen ${ratios.catalogShown.p50}, ${ratios.catalogShown.p99}.`,
    `Goals at ${large.products.toLocaleString('en')} products: search p99 <= 150 ms (${large.search.p99Ms}), product page p99 <= 50 ms (${large.productPage.p99Ms}), catalog on screen p50 <= 1000 ms (${large.catalogShown.p50Ms}); a sold-out variant leaves in-stock search within a second (p99 ${large.soldOutLeavesSearch.p99Ms} ms, polled every 10 ms).`,
    '',
  ].join('\n');
}

async function runCatalogBench(servers: string[]): Promise<string> {
  logger.info('catalog: 10,000 products imported from CSV; search, product page and catalog page');
  await ensureStorefrontBuilt(logger);
  process.env.CHROMIUM_PATH = await ensureChromium(logger);
  const result = await benchCatalog({
    products: Number(process.env.BENCH_CATALOG_PRODUCTS ?? 10_000),
  });
  measured.catalog = catalogFigures(result);
  return writeResults('catalog', result, catalogMarkdown(result, servers));
}

function tracingMarkdown(result: TracingBenchResult, servers: string[]): string {
  const { settings, runs, ratios } = result;
  const label = { off: 'off', sink: 'on, OTLP to a sink', zipkin: 'on, into Zipkin' } as const;
  const row = (mode: TracingMode, r: TracingRun, round: number) =>
    `| ${label[mode]} | ${round} | ${r.completed} | ${r.completedPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.cpuMsPerOrder} |`;
  const rows: string[] = [];
  for (let round = 0; round < settings.rounds; round += 1) {
    for (const mode of TRACING_MODES) {
      const r = runs[mode][round];
      if (r) rows.push(row(mode, r, round + 1));
    }
  }
  const line = (name: string, r: Ratios) =>
    `- ${name} ÷ off (medians): p50 **${r.p50}**, p99 **${r.p99}**, CPU per order **${r.cpuPerOrder}**.`;
  return [
    '# Tracing benchmark: telemetry off against on',
    '',
    `Run ${new Date().toISOString()} on ${cpus().length} cores, Node ${settings.node ?? process.version}. Checkouts at ${settings.ratePerSecond}/s for ${settings.seconds} s through the embedded platform (orders function, outbox, Kafka, emulator, saga with the payment provider, notifications, gRPC inventory), each run in a fresh process, the modes alternated ${settings.rounds} times in the same run. "OTLP to a sink": every span exported over OTLP/HTTP to an endpoint that reads and drops it, the platform's own cost of tracing. "Into Zipkin": every span into a real Zipkin (in-memory) on this machine, whose JVM shares the two cores with the platform, Kafka and mongod. CPU is the platform process's, per confirmed order; latency from the checkout request to the OrderConfirmed record.`,
    `Servers: ${servers.join('; ')}.`,
    '',
    '| tracing | round | confirmed | per s | p50 ms | p99 ms | CPU ms / order |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    line('On, OTLP to a sink', ratios.sink),
    line('On, into Zipkin', ratios.zipkin),
    '',
  ].join('\n');
}

async function runTracingBench(servers: string[]): Promise<string> {
  logger.info('tracing: checkouts with telemetry off and on, alternated');
  const result = await benchTracing(createLogger({ name: 'tracing', level: 'info' }));
  measured.tracing = tracingFigures(result);
  return writeResults('tracing', result, tracingMarkdown(result, servers));
}

function memoryMarkdown(result: IdleMemoryResult): string {
  return [
    '# Idle memory of the local stack',
    '',
    `Run ${new Date().toISOString()} on ${cpus().length} cores. \`npm start\` on a machine running nothing (its own Kafka, mongod and LocalStack, from a fresh cache), the platform in embedded mode; resident memory (RSS) of each process once the stack has been idle ${result.settings.idleSeconds} s, the median of ${result.settings.samples} samples a second apart.`,
    '',
    '| process | pid | RSS MB |',
    '| --- | ---: | ---: |',
    ...result.processes.map((p) => `| ${p.name} | ${p.pid} | ${p.rssMb} |`),
    `| **total** | | **${result.totalMb}** |`,
    '',
    `Goal: under ${result.goalMb} MB. RSS counts pages shared by two processes (the node binary of npm and of the platform) twice.`,
    '',
  ].join('\n');
}

async function runMemoryBench(): Promise<string> {
  logger.info('memory: npm start with its own servers, idle');
  const result = await benchIdleMemory();
  measured.memory = memoryFigures(result);
  return writeResults('memory', result, memoryMarkdown(result));
}

/**
 * `npm run bench` runs every benchmark and writes the summary; `npm run bench -- gateway` (or
 * saga, saga-cpu, flash-sale, soak, functions, inventory, memory, mongo, grouped, listing, passwords, storefront, catalog, tracing) some of them, replacing their
 * figures in the summary.
 */
async function main(selected: readonly string[]): Promise<void> {
  const wanted = (name: string) => selected.length === 0 || selected.includes(name);
  const infra = await infraUp(logger);
  const servers = infra.services.map(
    (service) => `${service.name}: ${service.server.split(';')[0]}`,
  );
  mkdirSync(RESULTS_DIR, { recursive: true });
  try {
    if (wanted('mongo'))
      process.stdout.write(`${await runDurabilityBench(infra.settings.MONGODB_URI)}\n`);
    if (wanted('mongo') || wanted('grouped'))
      process.stdout.write(`${await runGroupedWritesBench(infra.settings.MONGODB_URI)}\n`);
    if (wanted('inventory')) process.stdout.write(`${await runInventoryBench(infra, servers)}\n`);
    if (wanted('passwords')) process.stdout.write(`${await runPasswordsBench()}\n`);
    if (wanted('functions'))
      process.stdout.write(`${await runFunctionsBench(infra.settings, servers)}\n`);
    process.env.KAFKA_BROKERS = infra.settings.KAFKA_BROKERS;
    process.env.MONGODB_URI = infra.settings.MONGODB_URI;
    process.env.AWS_ENDPOINT_URL = infra.settings.AWS_ENDPOINT_URL;
    if (wanted('saga')) process.stdout.write(`${await runSagaBench(servers)}\n`);
    if (wanted('saga') || wanted('saga-cpu'))
      process.stdout.write(`${await runCpuSplitBench(servers)}\n`);
    if (wanted('saga') || wanted('flash-sale'))
      process.stdout.write(`${await runFlashSaleBench(servers)}\n`);
    if (wanted('gateway')) process.stdout.write(`${await runGatewayBench(servers)}\n`);
    if (wanted('listing'))
      process.stdout.write(`${await runListingBench(infra.settings, servers)}\n`);
    if (wanted('soak')) process.stdout.write(`${await runSoakBench(infra.settings, servers)}\n`);
    if (wanted('storefront')) process.stdout.write(`${await runStorefrontBench(servers)}\n`);
    if (wanted('catalog')) process.stdout.write(`${await runCatalogBench(servers)}\n`);
    if (wanted('tracing')) process.stdout.write(`${await runTracingBench(servers)}\n`);
    // Last, with its own servers: what a developer's machine holds with the stack idle.
    if (wanted('memory')) process.stdout.write(`${await runMemoryBench()}\n`);
    const summary = writeSummary(RESULTS_DIR, measured, servers);
    process.stdout.write(`${summary.markdown}\n`);
  } finally {
    if (infra.started.length > 0) await infraDown(logger, infra.started);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
