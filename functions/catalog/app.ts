import type { Db } from 'mongodb';
import { registerAuth } from '../../shared/auth/auth.js';
import type { AuthConfig } from '../../shared/auth/auth-config.js';
import { requirePermission } from '../../shared/auth/permissions.js';
import {
  badUserInput,
  ErrorCode,
  isAppError,
  notFound,
  unavailable,
} from '../../shared/errors/catalogue.js';
import type { ImmediatePublisher } from '../../shared/events/event-bus.js';
import { createHttpApp, type HttpApp } from '../../shared/http/http-app.js';
import type { Logger } from '../../shared/logger/logger.js';
import { relayOnly, sendOrLeave } from '../../shared/outbox/aggregate-store.js';
import type { ObjectStorage } from '../../shared/storage/object-storage.js';
import { accountAccess } from '../accounts/port.js';
import { exportCatalog } from './csv-export.js';
import { ImportStore } from './import-store.js';
import { ProductImages } from './product-images.js';
import {
  CategoryList,
  CollectionInput,
  CollectionList,
  CollectionLookup,
  CollectionProductsQuery,
  CollectionUpdate,
  CollectionView,
  ExportView,
  IdOrSlugParams,
  IdParams,
  ImageInput,
  ImageParams,
  ImageUpdate,
  ImportInput,
  ImportList,
  ImportView,
  Product,
  ProductConnection,
  ProductInput,
  ProductListQuery,
  ProductLookup,
  ProductLookupResult,
  ProductUpdate,
  RestockInput,
  SearchInput,
  SearchResult,
  SkuParams,
  SlugParams,
  StockLevel,
  UploadInput,
  UploadTicket,
  VariantInput,
  VariantUpdate,
} from './product-schemas.js';
import { ProductSearch } from './product-search.js';
import { ProductStore } from './product-store.js';
import { UploadStore } from './upload-store.js';

/** A stock level as inventory answers it. */
export interface InventoryLevel {
  sku: string;
  available: number;
  reserved: number;
  sold: number;
  version: number;
}

/** Where products get their stock: the inventory service. */
export interface StockPort {
  restock(sku: string, quantity: number): Promise<InventoryLevel>;
  /** First stock of SKUs that have none; the others keep theirs (safe to repeat). */
  initStock(lines: readonly { sku: string; quantity: number }[]): Promise<InventoryLevel[]>;
}

export interface CatalogDeps {
  logger: Logger;
  db: Db;
  auth: AuthConfig;
  stock: StockPort;
  /** Where pictures and catalog files are kept (the media bucket). */
  media: ObjectStorage;
  /** Publishes a product's events right after its write; without it the outbox relay does. */
  publisher?: ImmediatePublisher;
  /** How long an upload URL takes bytes (default 15 minutes). */
  uploadTtlSeconds?: number;
  bodyLimit?: number;
}

// Every admin route of the catalog: an admin person, or an API key given catalog:write.
const admin = { onRequest: requirePermission('catalog:write') };

/**
 * The catalog function: browse, search and look up products and collections; admins create
 * and change products, their variants and collections, and correct stock.
 */
export async function buildApp(deps: CatalogDeps): Promise<HttpApp> {
  const app = createHttpApp({
    component: 'catalog',
    logger: deps.logger,
    // A product with a hundred variants is about 20 KB.
    bodyLimit: deps.bodyLimit ?? 128 * 1024,
  });
  await registerAuth(app, deps.auth, accountAccess(deps.db));
  // Without a publisher, a product's or an import's events wait for the outbox relay.
  const sender = deps.publisher ? sendOrLeave(deps.publisher) : relayOnly;
  const store = new ProductStore(deps.db, (key) => deps.media.publicUrl(key), sender);
  const imports = new ImportStore(deps.db, sender);
  const search = new ProductSearch(deps.db, store);
  const uploads = new UploadStore(deps.db, deps.media, deps.uploadTtlSeconds);
  const images = new ProductImages(store, uploads, deps.media);

  /**
   * The first stock of new variants, and the search's view of it. Inventory's answer carries
   * the version of each level, so it never overwrites a newer StockChanged.
   */
  const initStock = async (lines: { sku: string; quantity: number }[]) => {
    const wanted = lines.filter((line) => line.quantity > 0);
    if (wanted.length === 0) return;
    const levels = await deps.stock.initStock(wanted);
    await store.applyStock(levels);
  };

  /** Runs `undo` when the stock could not be set, so the admin can simply try again. */
  const withStockOrUndo = async (
    lines: { sku: string; quantity: number }[],
    undo: () => Promise<unknown>,
  ) => {
    try {
      await initStock(lines);
    } catch (err) {
      await undo();
      if (isAppError(err) && err.code !== ErrorCode.UNAVAILABLE) throw err;
      throw unavailable('The inventory could not be reached; nothing was changed', err);
    }
  };

  app.get(
    '/products',
    { schema: { querystring: ProductListQuery, response: { 200: ProductConnection } } },
    (request) => store.list(request.query),
  );

  // POST: the filters are structured. A read nonetheless: no state changes.
  app.post(
    '/search',
    { schema: { body: SearchInput, response: { 200: SearchResult } } },
    (request) => search.search(request.body),
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
    { ...admin, schema: { body: ProductInput, response: { 201: Product } } },
    async (request, reply) => {
      const { initialStock, collections, variants = [], ...input } = request.body;
      const collectionIds = await store.collections.idsOf(collections ?? [], 'collections');
      const product = await store.create({ ...input, variants, collectionIds });
      await withStockOrUndo(
        [
          { sku: input.sku, quantity: initialStock ?? 0 },
          ...variants.map((variant) => ({ sku: variant.sku, quantity: variant.initialStock ?? 0 })),
        ],
        () => store.delete(product.id),
      );
      return reply.status(201).send(product);
    },
  );

  app.patch(
    '/products/:id',
    { ...admin, schema: { params: IdParams, body: ProductUpdate, response: { 200: Product } } },
    async (request) => {
      const { collections, ...changes } = request.body;
      return store.update(request.params.id, {
        ...changes,
        ...(collections
          ? { collectionIds: await store.collections.idsOf(collections, 'collections') }
          : {}),
      });
    },
  );

  app.post(
    '/products/:id/variants',
    {
      ...admin,
      schema: { params: IdParams, body: VariantInput, response: { 201: Product } },
    },
    async (request, reply) => {
      const { initialStock, ...spec } = request.body;
      const product = await store.addVariant(request.params.id, spec);
      await withStockOrUndo([{ sku: spec.sku, quantity: initialStock ?? 0 }], () =>
        store.removeVariant(spec.sku),
      );
      return reply.status(201).send(product);
    },
  );

  app.patch(
    '/variants/:sku',
    { ...admin, schema: { params: SkuParams, body: VariantUpdate, response: { 200: Product } } },
    (request) => store.updateVariant(request.params.sku, request.body),
  );

  app.delete(
    '/variants/:sku',
    { ...admin, schema: { params: SkuParams, response: { 200: Product } } },
    (request) => store.removeVariant(request.params.sku),
  );

  // Admins correct stock counts: positive adds, negative removes (never below zero available).
  app.post(
    '/stock/:sku',
    {
      ...admin,
      schema: { params: SkuParams, body: RestockInput, response: { 200: StockLevel } },
    },
    async (request) => {
      const { sku } = request.params;
      if (!(await store.findBySku(sku))) throw notFound(`No product with SKU ${sku}`, { sku });
      const level = await deps.stock.restock(sku, request.body.quantity);
      const answer = {
        sku: level.sku,
        available: Number(level.available),
        reserved: Number(level.reserved),
        sold: Number(level.sold),
        version: Number(level.version),
      };
      await store.applyStock([answer]);
      return answer;
    },
  );

  // A presigned URL the admin's browser PUTs a file to, straight into object storage.
  app.post(
    '/uploads',
    { ...admin, schema: { body: UploadInput, response: { 201: UploadTicket } } },
    async (request, reply) => reply.status(201).send(await uploads.create(request.body)),
  );

  app.post(
    '/products/:id/images',
    { ...admin, schema: { params: IdParams, body: ImageInput, response: { 201: Product } } },
    async (request, reply) =>
      reply.status(201).send(await images.add(request.params.id, request.body)),
  );

  app.patch(
    '/products/:id/images/:imageId',
    { ...admin, schema: { params: ImageParams, body: ImageUpdate, response: { 200: Product } } },
    (request) => images.update(request.params.id, request.params.imageId, request.body.alt),
  );

  app.delete(
    '/products/:id/images/:imageId',
    { ...admin, schema: { params: ImageParams, response: { 200: Product } } },
    (request) => images.remove(request.params.id, request.params.imageId),
  );

  // A catalog CSV file, uploaded like a picture, imported in the background (catalog-events).
  app.post(
    '/imports',
    { ...admin, schema: { body: ImportInput, response: { 202: ImportView } } },
    async (request, reply) => {
      const upload = await uploads.usable(request.body.uploadId, 'PRODUCT_CSV', 'import');
      const head = await deps.media.head(upload.key);
      if (!head) {
        throw badUserInput(
          'Nothing was uploaded for this upload yet: PUT the file to its URL first',
          {
            field: 'uploadId',
            reason: 'EMPTY',
          },
        );
      }
      const queued = await imports.queue(upload.id, upload.key);
      await uploads.markUsed(upload.id, 'import');
      return reply.status(202).send(queued);
    },
  );

  app.get('/imports', { ...admin, schema: { response: { 200: ImportList } } }, async () => ({
    imports: await imports.recent(),
  }));

  app.get(
    '/imports/:id',
    { ...admin, schema: { params: IdParams, response: { 200: ImportView } } },
    (request) => imports.get(request.params.id),
  );

  app.post(
    '/exports',
    { ...admin, schema: { response: { 201: ExportView } } },
    async (_request, reply) => reply.status(201).send(await exportCatalog(store, deps.media)),
  );

  app.get('/collections', { schema: { response: { 200: CollectionList } } }, async () => ({
    collections: await store.collections.list(),
  }));

  // A batch look-up for the gateway's loaders: the collections of a page of products, one query.
  app.post(
    '/collections/lookup',
    { schema: { body: CollectionLookup, response: { 200: CollectionList } } },
    async (request) => ({
      collections: [...(await store.collections.byIds(request.body.ids)).values()],
    }),
  );

  app.get(
    '/collections/:slug',
    { schema: { params: SlugParams, response: { 200: CollectionView } } },
    (request) => store.collections.get(request.params.slug),
  );

  app.get(
    '/collections/:slug/products',
    {
      schema: {
        params: SlugParams,
        querystring: CollectionProductsQuery,
        response: { 200: ProductConnection },
      },
    },
    async (request) => {
      const collection = await store.collections.get(request.params.slug);
      return store.list({ ...request.query, collectionId: collection.id });
    },
  );

  app.post(
    '/collections',
    { ...admin, schema: { body: CollectionInput, response: { 201: CollectionView } } },
    async (request, reply) => reply.status(201).send(await store.collections.create(request.body)),
  );

  app.patch(
    '/collections/:id',
    {
      ...admin,
      schema: { params: IdParams, body: CollectionUpdate, response: { 200: CollectionView } },
    },
    (request) => store.collections.update(request.params.id, request.body),
  );

  return app;
}
