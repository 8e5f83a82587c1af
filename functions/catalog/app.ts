import type { Db } from 'mongodb';
import { registerAuth, requireRole } from '../../shared/auth/auth.js';
import type { AuthConfig } from '../../shared/auth/auth-config.js';
import { ErrorCode, isAppError, notFound, unavailable } from '../../shared/errors/catalogue.js';
import { createHttpApp, type HttpApp } from '../../shared/http/http-app.js';
import type { Logger } from '../../shared/logger/logger.js';
import {
  CategoryList,
  IdOrSlugParams,
  IdParams,
  Product,
  ProductConnection,
  ProductInput,
  ProductListQuery,
  ProductLookup,
  ProductLookupResult,
  ProductUpdate,
  RestockInput,
  SkuParams,
  StockLevel,
} from './product-schemas.js';
import { ProductStore } from './product-store.js';

/** Where products get their stock: the inventory service. */
export interface StockPort {
  restock(
    sku: string,
    quantity: number,
  ): Promise<{ sku: string; available: number; reserved: number; sold: number }>;
}

export interface CatalogDeps {
  logger: Logger;
  db: Db;
  auth: AuthConfig;
  stock: StockPort;
  bodyLimit?: number;
}

/** The catalog function: browse, search and look up products; admins create and update them. */
export async function buildApp(deps: CatalogDeps): Promise<HttpApp> {
  const app = createHttpApp({
    component: 'catalog',
    logger: deps.logger,
    bodyLimit: deps.bodyLimit ?? 16 * 1024,
  });
  await registerAuth(app, deps.auth);
  const store = new ProductStore(deps.db);

  app.get(
    '/products',
    { schema: { querystring: ProductListQuery, response: { 200: ProductConnection } } },
    (request) => store.list(request.query),
  );

  app.get('/categories', { schema: { response: { 200: CategoryList } } }, async () => ({
    categories: await store.categories(),
  }));

  // A batch look-up for the gateway's loaders: one query for a page of products.
  app.post(
    '/products/lookup',
    { schema: { body: ProductLookup, response: { 200: ProductLookupResult } } },
    async (request) => ({ products: await store.getMany(request.body.ids) }),
  );

  app.get(
    '/products/:idOrSlug',
    { schema: { params: IdOrSlugParams, response: { 200: Product } } },
    (request) => store.get(request.params.idOrSlug),
  );

  app.post(
    '/products',
    {
      onRequest: requireRole('ADMIN'),
      schema: { body: ProductInput, response: { 201: Product } },
    },
    async (request, reply) => {
      const { initialStock, ...input } = request.body;
      const product = await store.create(input);
      if (initialStock) {
        try {
          await deps.stock.restock(product.sku, initialStock);
        } catch (err) {
          // No product without its stock: undo, so the admin can simply try again.
          await store.delete(product.id);
          if (isAppError(err) && err.code !== ErrorCode.UNAVAILABLE) throw err;
          throw unavailable('The inventory could not be reached; the product was not created', err);
        }
      }
      return reply.status(201).send(product);
    },
  );

  app.patch(
    '/products/:id',
    {
      onRequest: requireRole('ADMIN'),
      schema: { params: IdParams, body: ProductUpdate, response: { 200: Product } },
    },
    (request) => store.update(request.params.id, request.body),
  );

  // Admins correct stock counts: positive adds, negative removes (never below zero available).
  app.post(
    '/stock/:sku',
    {
      onRequest: requireRole('ADMIN'),
      schema: { params: SkuParams, body: RestockInput, response: { 200: StockLevel } },
    },
    async (request) => {
      const { sku } = request.params;
      await store.getBySkus([sku]).then((found) => {
        if (!found.has(sku)) throw notFound(`No product with SKU ${sku}`, { sku });
      });
      const level = await deps.stock.restock(sku, request.body.quantity);
      return {
        sku: level.sku,
        available: Number(level.available),
        reserved: Number(level.reserved),
        sold: Number(level.sold),
      };
    },
  );

  return app;
}
