import Fastify from 'fastify';
import type { Db } from 'mongodb';
import { buildApp } from '../../functions/catalog/app.js';
import { ProductStore } from '../../functions/catalog/product-store.js';
import { loadConfig, readRuntimeConfig } from '../../shared/config/config.js';
import { createLambdaHandler } from '../../shared/http/lambda-handler.js';
import { createLogger } from '../../shared/logger/logger.js';
import { readMediaStorageConfig } from '../../shared/storage/media-storage-config.js';
import { s3ObjectStorage } from '../../shared/storage/object-storage.js';
import { type LoadResult, runClosedLoop } from '../lib/closed-loop.js';

export interface ThroughputResult {
  inject: LoadResult;
  lambda: LoadResult;
  bareFastify: LoadResult;
  /** Lambda handler rate / inject rate (goal >= 0.9). */
  lambdaToInject: number;
  /** inject rate / bare Fastify route rate: the cost of the function's own layers. */
  injectToBare: number;
}

const CONCURRENCY = 8;

function listEvent() {
  return {
    version: '2.0',
    routeKey: 'GET /products',
    rawPath: '/products',
    rawQueryString: 'first=20',
    headers: { accept: 'application/json', host: 'bench.execute-api.local' },
    queryStringParameters: { first: '20' },
    requestContext: {
      http: {
        method: 'GET',
        path: '/products',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'bench',
      },
      requestId: 'bench',
      routeKey: 'GET /products',
      stage: '$default',
      timeEpoch: Date.now(),
    },
    isBase64Encoded: false,
  };
}

/**
 * The catalog's list route three ways in one run: through `app.inject()`, through the Lambda
 * handler with an API Gateway v2 event, and a bare Fastify route returning the same documents
 * from the same query.
 */
export async function benchCatalogThroughput(db: Db, requests: number): Promise<ThroughputResult> {
  const logger = createLogger({ name: 'bench', level: 'silent' });
  const store = new ProductStore(db);
  for (let i = 0; i < 50; i++) {
    await store.create({
      sku: `BENCH-P${i}`,
      name: `Bench Product ${i}`,
      description: 'A product for the benchmark',
      category: 'bench',
      priceCents: 1000 + i,
      currency: 'EUR',
    });
  }
  const auth = {
    jwtSecret: 'bench-secret-that-is-long-enough-0123456',
    issuer: 'orderly',
    audience: 'orderly-api',
    tokenTtlSeconds: 600,
  };
  const app = await buildApp({
    logger,
    db,
    auth,
    stock: {
      restock: async (sku) => ({ sku, available: 0, reserved: 0, sold: 0, version: 0 }),
      initStock: async () => [],
    },
    // Listing reads no picture; the storage is never called.
    media: s3ObjectStorage(
      loadConfig((env) => readMediaStorageConfig(env, readRuntimeConfig(env))),
    ),
  });
  await app.ready();
  const handler = createLambdaHandler(() => app);
  const bare = Fastify();
  const products = db.collection('products');
  bare.get('/products', async () =>
    products.find({}).sort({ createdAt: -1, _id: -1 }).limit(21).toArray(),
  );
  await bare.ready();

  const event = listEvent();
  const inject = () => app.inject({ method: 'GET', url: '/products?first=20' });
  const lambda = () => handler(event, {} as never);
  const bareCall = () => bare.inject({ method: 'GET', url: '/products' });
  // Warm-up of each path (JIT, connection pool).
  await runClosedLoop(200, CONCURRENCY, inject);
  await runClosedLoop(200, CONCURRENCY, lambda);
  await runClosedLoop(200, CONCURRENCY, bareCall);

  const injectResult = await runClosedLoop(requests, CONCURRENCY, inject);
  const lambdaResult = await runClosedLoop(requests, CONCURRENCY, lambda);
  const bareResult = await runClosedLoop(requests, CONCURRENCY, bareCall);
  await bare.close();
  await app.close();
  const ratio = (a: LoadResult, b: LoadResult) =>
    Math.round((a.ratePerSecond / b.ratePerSecond) * 100) / 100;
  return {
    inject: injectResult,
    lambda: lambdaResult,
    bareFastify: bareResult,
    lambdaToInject: ratio(lambdaResult, injectResult),
    injectToBare: ratio(injectResult, bareResult),
  };
}
