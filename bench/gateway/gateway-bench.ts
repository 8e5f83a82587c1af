import { buildGateway } from '../../gateway/app.js';
import { InProcessInvoker } from '../../gateway/invokers/in-process-invoker.js';
import { gatewaySettings } from '../../gateway/settings.js';
import { buildFunctionApps } from '../../localstack/platform/function-apps.js';
import { createInventoryClient } from '../../shared/grpc/inventory-client.js';
import type { Logger } from '../../shared/logger/logger.js';
import { CheckoutHarness } from '../../test-support/checkout-harness.js';
import { type LoadResult, runClosedLoop } from '../lib/closed-loop.js';

export interface GatewayBenchResult {
  settings: { requests: number; concurrency: number; products: number };
  /** The catalog route (inject) plus one GetStock for the page: the same data, no GraphQL. */
  bare: LoadResult;
  /** The gateway in process mode, JIT and the parsed-query cache on (the default). */
  gateway: LoadResult;
  gatewayWithoutJit: LoadResult;
  gatewayWithoutCache: LoadResult;
  ratio: number;
}

const QUERY =
  '{ products(first: 20) { edges { cursor node { id sku slug name description category priceCents currency createdAt stock { sku available reserved } } } pageInfo { hasNextPage endCursor } } }';

const auth = {
  jwtSecret: 'gateway-bench-secret-that-is-long-enough',
  issuer: 'orderly',
  audience: 'orderly-api',
  tokenTtlSeconds: 600,
};

/**
 * `products(first: 20) { ... stock }` through the gateway against the same page read from the
 * catalog route with one GetStock, each closed-loop with `concurrency` requests in flight.
 */
export async function benchGateway(
  logger: Logger,
  settings = { requests: 3_000, concurrency: 50, products: 50 },
): Promise<GatewayBenchResult> {
  const harness = await CheckoutHarness.start({
    logger,
    withoutEmulator: true,
    withoutBackgroundJobs: true,
  });
  const inventory = createInventoryClient({ address: harness.platform.inventoryAddress });
  try {
    for (let i = 0; i < settings.products; i += 1) {
      await harness.addProduct(`BENCH-GW-${i}`, 100 + i, 10 + i);
    }
    const apps = await buildFunctionApps({ logger, db: harness.db, auth, stock: inventory });
    const invoker = new InProcessInvoker(apps);
    const gatewayWith = async (options: { jit?: number; queryCache?: number | false }) => {
      const gateway = await buildGateway({
        logger,
        invoker,
        stock: inventory,
        settings: gatewaySettings({ rateLimitPerMinute: 10_000_000 }),
        ...options,
      });
      await gateway.ready();
      return gateway;
    };
    const load = async (operation: () => Promise<void>) => {
      await runClosedLoop(300, settings.concurrency, operation); // warm-up
      return runClosedLoop(settings.requests, settings.concurrency, operation);
    };

    const bare = await load(async () => {
      const page = await apps.catalog.inject({ method: 'GET', url: '/products?first=20' });
      if (page.statusCode !== 200) throw new Error(`catalog answered ${page.statusCode}`);
      const skus = (page.json() as { edges: { node: { sku: string } }[] }).edges.map(
        (e) => e.node.sku,
      );
      await inventory.getStock(skus);
    });
    const measure = async (options: { jit?: number; queryCache?: number | false }) => {
      const gateway = await gatewayWith(options);
      try {
        return await load(async () => {
          const reply = await gateway.inject({
            method: 'POST',
            url: '/graphql',
            payload: { query: QUERY },
          });
          if (reply.statusCode !== 200 || reply.body.includes('"errors"')) {
            throw new Error(`gateway answered ${reply.statusCode}`);
          }
        });
      } finally {
        await gateway.close();
      }
    };
    const gateway = await measure({});
    const gatewayWithoutJit = await measure({ jit: 0 });
    const gatewayWithoutCache = await measure({ queryCache: false });
    await invoker.close();
    return {
      settings,
      bare,
      gateway,
      gatewayWithoutJit,
      gatewayWithoutCache,
      ratio: Math.round((gateway.ratePerSecond / bare.ratePerSecond) * 100) / 100,
    };
  } finally {
    inventory.close();
    await harness.stop();
  }
}
