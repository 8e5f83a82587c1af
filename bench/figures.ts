import type { CatalogBenchResult } from './catalog/catalog-bench.js';
import type { ThroughputResult } from './functions/catalog-throughput.js';
import type { ColdStart } from './functions/cold-start.js';
import type { GatewayBenchResult } from './gateway/gateway-bench.js';
import type { InventoryBenchResult } from './inventory/reserve-bench.js';
import type { IdleMemoryResult } from './memory/idle-memory.js';
import type { FlashSaleResult } from './saga/flash-sale.js';
import type { SagaBenchResult } from './saga/saga-bench.js';
import type { SoakResult } from './saga/soak.js';
import type { StorefrontBenchResult } from './storefront/storefront-bench.js';
import { atLeast, atMost, type FigureInput, figure, noGoal } from './summary.js';
import type { TracingBenchResult } from './tracing/tracing-bench.js';

/** The summary's figures of each benchmark, with the goals the issues set. */

/** The flash sales: exact (1) or not (0), and how long until every order was final. */
export function flashSaleFigures(result: FlashSaleResult): FigureInput[] {
  return result.runs.flatMap((run) => {
    const name = `flash-sale-${run.shoppers}-for-${run.units}`;
    const p = { p50Ms: run.finalP50Ms, p99Ms: run.finalP99Ms };
    return [
      figure(
        `${name}-exact`,
        run.exact ? 1 : 0,
        'yes = 1',
        atLeast(1),
        `${run.shoppers} shoppers at once for ${run.units} units of one SKU: ${run.confirmed} confirmed, sold ${run.stock.sold}, reserved ${run.stock.reserved}`,
      ),
      figure(
        `${name}-all-final-ms`,
        run.allFinalMs,
        'ms',
        run.shoppers <= 500 ? atMost(result.finalWithinMs) : noGoal('lower'),
        'from the first checkout sent until every order was final (p50/p99: each order from its checkout)',
        p,
      ),
    ];
  });
}

/** Documents a confirmed order had written by the platform: the provider stand-in's left out. */
function platformDocuments(
  step: { perOrder: SagaBenchResult['lowRate']['perOrder'] } | null | undefined,
) {
  if (!step) return 0;
  const { dbDocumentsWritten, providerDocumentsWritten } = step.perOrder;
  return Math.round((dbDocumentsWritten - providerDocumentsWritten) * 100) / 100;
}

export function sagaFigures(result: SagaBenchResult): FigureInput[] {
  const knee = result.knee.step;
  const first = result.steps[0];
  const low = result.lowRate;
  const p = (step: typeof knee) => (step ? { p50Ms: step.p50Ms, p99Ms: step.p99Ms } : {});
  return [
    figure(
      'checkout-sustained-orders-per-second',
      result.knee.ordersPerSecond,
      'orders/s',
      atLeast(150),
      `highest offered rate sustained for ${result.settings.seconds} s, checkout to CONFIRMED, embedded mode`,
      p(knee),
    ),
    figure(
      'checkout-p99-ms-at-sustained',
      knee?.p99Ms ?? 0,
      'ms',
      atMost(2000),
      'p99 checkout to CONFIRMED at the sustained rate',
      p(knee),
    ),
    figure(
      'checkout-peak-completed-per-second',
      result.peakCompletedPerSecond,
      'orders/s',
      noGoal('higher'),
      'most orders confirmed per second in any step of the ladder, sustained or not',
    ),
    figure(
      'checkout-p50-ms-at-low-rate',
      low.p50Ms,
      'ms',
      atMost(30),
      `p50 checkout to CONFIRMED at ${result.settings.bareRate}/s, one order at a time (nothing grouped)`,
      { p50Ms: low.p50Ms, p99Ms: low.p99Ms },
    ),
    figure(
      'checkout-p50-to-bare-kafka-hops',
      result.p50RatioToBareHops,
      'ratio',
      atMost(1),
      `p50 to CONFIRMED at ${result.settings.bareRate}/s over the p50 of ${result.settings.bareHops} bare Kafka hops (same run)`,
      { p50Ms: low.p50Ms, p99Ms: low.p99Ms },
    ),
    figure(
      'checkout-db-writes-per-order',
      knee?.perOrder.dbWrites ?? first?.perOrder.dbWrites ?? 0,
      'writes',
      atMost(6),
      'database write commands per confirmed order, every client (server counters)',
    ),
    figure(
      'checkout-db-documents-written-per-order',
      platformDocuments(knee ?? first),
      'documents',
      atMost(8),
      `documents inserted, updated or deleted per confirmed order by the platform (server counters, every client, less the payment provider stand-in's ${(knee ?? first)?.perOrder.providerDocumentsWritten ?? 0}: Stripe's own in production; with them ${(knee ?? first)?.perOrder.dbDocumentsWritten ?? 0}); at ${low.offeredPerSecond}/s, nothing grouped: ${platformDocuments(low)}`,
    ),
    figure(
      'checkout-db-reads-per-order',
      knee?.perOrder.dbReads ?? first?.perOrder.dbReads ?? 0,
      'reads',
      atMost(2),
      'database read commands per confirmed order, every client (server counters)',
    ),
    figure(
      'checkout-kafka-records-per-order',
      knee?.perOrder.kafkaRecords ?? first?.perOrder.kafkaRecords ?? 0,
      'records',
      atMost(3),
      'Kafka records produced per confirmed order',
    ),
  ];
}

export function inventoryFigures(result: InventoryBenchResult): FigureInput[] {
  return [
    figure(
      'inventory-hold-to-bare-update-spread',
      result.holdRatioSpread,
      'ratio',
      atLeast(0.8),
      `Hold over gRPC (a checkout's stock call) / bare conditional findOneAndUpdate, ${result.settings.skus} SKUs (same run)`,
      { p50Ms: result.holdSpread.p50Ms, p99Ms: result.holdSpread.p99Ms },
    ),
    figure(
      'inventory-hold-to-bare-update-hot',
      result.holdRatioHot,
      'ratio',
      atLeast(0.6),
      'the same on one hot SKU',
      { p50Ms: result.holdHot.p50Ms, p99Ms: result.holdHot.p99Ms },
    ),
    figure(
      'inventory-reserve-to-bare-update-spread',
      result.ratioSpread,
      'ratio',
      atLeast(0.8),
      `Reserve over gRPC (a reservation document of inventory's own) / bare conditional findOneAndUpdate, ${result.settings.skus} SKUs (same run)`,
      { p50Ms: result.reserveSpread.p50Ms, p99Ms: result.reserveSpread.p99Ms },
    ),
    figure(
      'inventory-reserve-to-bare-update-hot',
      result.ratioHot,
      'ratio',
      atLeast(0.6),
      'the same on one hot SKU',
      { p50Ms: result.reserveHot.p50Ms, p99Ms: result.reserveHot.p99Ms },
    ),
  ];
}

export function functionsFigures(
  throughput: ThroughputResult,
  cold: { emptyMs: number; functions: ColdStart[] },
): FigureInput[] {
  return [
    figure(
      'lambda-handler-to-inject',
      throughput.lambdaToInject,
      'ratio',
      atLeast(0.9),
      'catalog list through the Lambda handler / through inject (same run)',
      { p50Ms: throughput.lambda.p50Ms, p99Ms: throughput.lambda.p99Ms },
    ),
    ...cold.functions.flatMap((f) => [
      figure(
        `cold-start-${f.function}-to-empty-handler`,
        f.ratioToEmpty,
        'ratio',
        atMost(2),
        `new process to first response (a database read), ${f.coldStartMs} ms, over an empty handler's ${cold.emptyMs} ms (median of 5)`,
      ),
      figure(
        `bundle-${f.function}-kb`,
        Math.round(f.bundleBytes / 1024),
        'KB',
        noGoal(),
        `${f.function}'s bundle with serverless.yml's esbuild settings`,
      ),
    ]),
  ];
}

export function memoryFigures(result: IdleMemoryResult): FigureInput[] {
  return [
    figure(
      'local-stack-idle-rss-mb',
      result.totalMb,
      'MB',
      atMost(result.goalMb),
      `npm start on a machine running nothing, idle ${result.settings.idleSeconds} s: ${result.processes.map((p) => `${p.name.split(' (')[0]} ${p.rssMb}`).join(', ')}`,
    ),
  ];
}

/** The soak: the platform process's memory slope under load, and how far it comes back. */
export function soakFigures(result: SoakResult): FigureInput[] {
  const { settings } = result;
  return [
    figure(
      'soak-platform-rss-slope-mb-per-minute',
      result.slopeMbPerMinute.platform ?? 0,
      'MB/min',
      atMost(1),
      `npm start's process under ${settings.ratePerSecond} checkouts/s for ${settings.minutes} min, after a ${settings.warmupMinutes}-min warm-up (least squares over 10-s samples); peak ${result.peakMb.platform} MB`,
    ),
    figure(
      'soak-platform-rss-after-to-idle',
      Math.round(
        ((result.afterMb.platform ?? 0) / Math.max(result.idleMb.platform ?? 1, 1)) * 100,
      ) / 100,
      'ratio',
      noGoal('lower'),
      `RSS 60 s after the load (${result.afterMb.platform} MB) over RSS idle before it (${result.idleMb.platform} MB)`,
    ),
  ];
}

export function gatewayFigures(result: GatewayBenchResult): FigureInput[] {
  return [
    figure(
      'gateway-to-bare',
      result.ratio,
      'ratio',
      atLeast(0.6),
      'products with stock through GraphQL / the catalog route plus one GetStock (same run)',
      { p50Ms: result.gateway.p50Ms, p99Ms: result.gateway.p99Ms },
    ),
  ];
}

export function storefrontFigures(result: StorefrontBenchResult): FigureInput[] {
  const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;
  return [
    figure(
      'storefront-first-page-js-gzip-kb',
      kb(result.firstPageJs.gzipBytes),
      'kB',
      atMost(60),
      'JavaScript the catalog page loads, gzipped',
    ),
    figure(
      'storefront-catalog-on-screen-p50-ms',
      result.catalogShown.p50Ms,
      'ms',
      atMost(1000),
      'navigation to the first product on screen, fresh browser context (Chromium)',
      { p50Ms: result.catalogShown.p50Ms, p99Ms: result.catalogShown.p99Ms },
    ),
    figure(
      'storefront-add-to-cart-p50-ms',
      result.addToCartSignedIn.p50Ms,
      'ms',
      atMost(200),
      'click on Add to cart to "Added to cart" on screen, signed in',
      { p50Ms: result.addToCartSignedIn.p50Ms, p99Ms: result.addToCartSignedIn.p99Ms },
    ),
  ];
}

export function tracingFigures(result: TracingBenchResult): FigureInput[] {
  const { ratePerSecond } = result.settings;
  const { sink, zipkin } = result.ratios;
  const what = (of: string, into: string) =>
    `${of}, tracing on (${into}) ÷ off, ${ratePerSecond} checkouts/s, same run`;
  return [
    figure(
      'tracing-cpu-per-order-ratio',
      sink.cpuPerOrder,
      'ratio',
      noGoal('lower'),
      what('platform CPU per confirmed order', 'every span over OTLP to a sink'),
    ),
    figure(
      'tracing-p50-ratio',
      sink.p50,
      'ratio',
      noGoal('lower'),
      what('p50 checkout to CONFIRMED', 'OTLP to a sink'),
    ),
    figure(
      'tracing-p99-ratio',
      sink.p99,
      'ratio',
      noGoal('lower'),
      what('p99 checkout to CONFIRMED', 'OTLP to a sink'),
    ),
    figure(
      'tracing-into-zipkin-p50-ratio',
      zipkin.p50,
      'ratio',
      noGoal('lower'),
      what('p50 checkout to CONFIRMED', 'into Zipkin on the same two cores'),
    ),
  ];
}

export function catalogFigures(result: CatalogBenchResult): FigureInput[] {
  const { large, small } = result;
  const at = `${large.products.toLocaleString('en')} products, ${large.variants.toLocaleString('en')} variants`;
  const p = (t: { p50Ms: number; p99Ms: number }) => ({ p50Ms: t.p50Ms, p99Ms: t.p99Ms });
  return [
    figure(
      'catalog-search-p99-ms',
      large.search.p99Ms,
      'ms',
      atMost(150),
      `search with two filters, in stock only, every facet, ${at} (8 products: p99 ${small.search.p99Ms} ms)`,
      p(large.search),
    ),
    figure(
      'catalog-product-page-p99-ms',
      large.productPage.p99Ms,
      'ms',
      atMost(50),
      `the product page's query with its variants' stock, ${at} (8 products: p99 ${small.productPage.p99Ms} ms)`,
      p(large.productPage),
    ),
    figure(
      'catalog-page-on-screen-p50-ms',
      large.catalogShown.p50Ms,
      'ms',
      atMost(1000),
      `navigation to the first product on screen in Chromium, ${at} (8 products: p50 ${small.catalogShown.p50Ms} ms)`,
      p(large.catalogShown),
    ),
    figure(
      'catalog-import-products-per-second',
      large.import.productsPerSecond,
      'products/s',
      noGoal('higher'),
      `CSV import of ${at}, upload excluded, first stock included`,
    ),
    figure(
      'catalog-sold-out-leaves-search-p99-ms',
      large.soldOutLeavesSearch.p99Ms,
      'ms',
      atMost(1000),
      `a variant's last unit sold: inventory reading 0 to in-stock search leaving it out, ${at}`,
      p(large.soldOutLeavesSearch),
    ),
  ];
}
