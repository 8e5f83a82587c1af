import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { badUserInput, ErrorCode } from '../shared/errors/catalogue.js';
import { INVENTORY_LIMITS } from '../shared/limits/limits.js';
import { tagOrder } from '../shared/telemetry/tracing.js';
import type { GatewayContext } from './context.js';
import type {
  ApiKey,
  Collection,
  Order,
  ProductImport,
  Resolvers,
} from './schema/generated/resolver-types.js';

/** A value as the functions take it: every `null` an absent member. */
type WithoutNulls<T> = T extends null
  ? undefined
  : T extends readonly (infer Item)[]
    ? WithoutNulls<Item>[]
    : T extends object
      ? { [K in keyof T]: WithoutNulls<T[K]> }
      : T;

/** GraphQL sends null for an optional argument the client set to null; functions want it absent. */
function withoutNulls<T>(value: T): WithoutNulls<T> {
  if (Array.isArray(value)) return value.map(withoutNulls) as WithoutNulls<T>;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, withoutNulls(v)]),
    ) as WithoutNulls<T>;
  }
  return value as WithoutNulls<T>;
}

const segment = (value: unknown) => encodeURIComponent(String(value));

interface ProductRef {
  sku: string;
}

export const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An ISO 8601 date and time in UTC, e.g. 2026-11-24T09:30:00.000Z.',
  serialize(value) {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime()))
      throw new GraphQLError('DateTime cannot represent an invalid date');
    return date.toISOString();
  },
  parseValue(value) {
    const date = new Date(String(value));
    if (typeof value !== 'string' || Number.isNaN(date.getTime())) {
      throw new GraphQLError('DateTime must be an ISO 8601 string');
    }
    return date;
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING || Number.isNaN(Date.parse(ast.value))) {
      throw new GraphQLError('DateTime must be an ISO 8601 string');
    }
    return new Date(ast.value);
  },
});

/**
 * Resolvers: each one is a call of a function's route with the caller's token passed on.
 * Authorization stays with the functions; the gateway shapes requests and answers.
 */
export const resolvers = {
  DateTime,
  Query: {
    categories: (_parent, _args, ctx) =>
      ctx.functions
        .call<{ categories: { name: string; productCount: number }[] }>('catalog', {
          method: 'GET',
          path: '/categories',
        })
        .then((answer) => answer.categories),
    products: (_parent, args, ctx) =>
      ctx.functions.call('catalog', {
        method: 'GET',
        path: '/products',
        query: withoutNulls({
          search: args.search,
          category: args.category,
          first: args.first,
          after: args.after,
        }),
      }),
    product: (_parent, args, ctx) => {
      const key = args.id ?? args.slug;
      if (key === undefined || key === null) throw badUserInput('Give id or slug', { field: 'id' });
      return ctx.functions.callOrNull('catalog', {
        method: 'GET',
        path: `/products/${segment(key)}`,
      });
    },
    me: (_parent, _args, ctx) =>
      ctx.authorization
        ? ctx.functions.callOrNull('accounts', { method: 'GET', path: '/accounts/me' }, [
            ErrorCode.UNAUTHENTICATED,
          ])
        : null,
    cart: (_parent, _args, ctx) => ctx.functions.call('carts', { method: 'GET', path: '/cart' }),
    order: (_parent, args, ctx) =>
      ctx.functions.callOrNull('orders', { method: 'GET', path: `/orders/${segment(args.id)}` }),
    orders: (_parent, args, ctx) =>
      ctx.functions.call('orders', {
        method: 'GET',
        path: '/orders',
        query: withoutNulls({ first: args.first, after: args.after }),
      }),
    stock: (_parent, args, ctx) => ctx.stock.getStock(args.skus),
    apiKeys: (_parent, _args, ctx) =>
      ctx.functions
        .call<{ apiKeys: ApiKey[] }>('accounts', { method: 'GET', path: '/accounts/api-keys' })
        .then((answer) => answer.apiKeys),
    collections: (_parent, _args, ctx) =>
      ctx.functions
        .call<{ collections: Collection[] }>('catalog', { method: 'GET', path: '/collections' })
        .then((answer) => answer.collections),
    collection: (_parent, args, ctx) =>
      ctx.functions.callOrNull('catalog', {
        method: 'GET',
        path: `/collections/${segment(args.slug)}`,
      }),
    productImport: (_parent, args, ctx) =>
      ctx.functions.callOrNull('catalog', { method: 'GET', path: `/imports/${segment(args.id)}` }),
    productImports: (_parent, _args, ctx) =>
      ctx.functions
        .call<{ imports: ProductImport[] }>('catalog', { method: 'GET', path: '/imports' })
        .then((answer) => answer.imports),
    search: (_parent, args, ctx) =>
      ctx.functions.call('catalog', {
        method: 'POST',
        path: '/search',
        body: withoutNulls({
          query: args.query,
          filters: args.filters,
          inStockOnly: args.inStockOnly,
          sort: args.sort,
          first: args.first,
          after: args.after,
        }),
      }),
  },
  Collection: {
    products: (parent, args, ctx) =>
      ctx.functions.call('catalog', {
        method: 'GET',
        path: `/collections/${segment(parent.slug)}/products`,
        query: withoutNulls({ first: args.first, after: args.after }),
      }),
  },
  Mutation: {
    register: (_parent, args, ctx) =>
      ctx.functions.call('accounts', {
        method: 'POST',
        path: '/accounts/register',
        body: withoutNulls(args.input),
      }),
    login: (_parent, args, ctx) =>
      ctx.functions.call('accounts', {
        method: 'POST',
        path: '/accounts/login',
        body: { email: args.email, password: args.password },
      }),
    requestPasswordReset: (_parent, args, ctx) =>
      ctx.functions
        .call<{ ok: boolean }>('accounts', {
          method: 'POST',
          path: '/accounts/password-reset/request',
          body: { email: args.email },
        })
        .then((answer) => answer.ok),
    resetPassword: (_parent, args, ctx) =>
      ctx.functions
        .call<{ ok: boolean }>('accounts', {
          method: 'POST',
          path: '/accounts/password-reset',
          body: { token: args.token, newPassword: args.newPassword },
        })
        .then((answer) => answer.ok),
    changePassword: (_parent, args, ctx) =>
      ctx.functions
        .call<{ ok: boolean }>('accounts', {
          method: 'POST',
          path: '/accounts/password',
          body: { currentPassword: args.currentPassword, newPassword: args.newPassword },
        })
        .then((answer) => answer.ok),
    createApiKey: (_parent, args, ctx) =>
      ctx.functions.call('accounts', {
        method: 'POST',
        path: '/accounts/api-keys',
        body: { name: args.name, permissions: args.permissions },
      }),
    revokeApiKey: (_parent, args, ctx) =>
      ctx.functions
        .call<{ ok: boolean }>('accounts', {
          method: 'DELETE',
          path: `/accounts/api-keys/${segment(args.id)}`,
        })
        .then((answer) => answer.ok),
    logout: (_parent, _args, ctx) =>
      ctx.functions
        .call<{ ok: boolean }>('accounts', { method: 'POST', path: '/accounts/logout' })
        .then((answer) => answer.ok),
    addToCart: (_parent, args, ctx) =>
      ctx.functions.call('carts', {
        method: 'POST',
        path: '/cart/items',
        body: { sku: args.sku, quantity: args.quantity },
      }),
    updateCartItem: (_parent, args, ctx) =>
      ctx.functions.call('carts', {
        method: 'PUT',
        path: `/cart/items/${segment(args.sku)}`,
        body: { quantity: args.quantity },
      }),
    clearCart: (_parent, _args, ctx) =>
      ctx.functions.call('carts', { method: 'DELETE', path: '/cart' }),
    checkout: async (_parent, args, ctx) => {
      const order = await ctx.functions.call<Order>('orders', {
        method: 'POST',
        path: '/orders',
        body: withoutNulls(args.input),
      });
      // The gateway's spans of this request name the order too (found by its id in a viewer).
      tagOrder(order.id);
      return order;
    },
    cancelOrder: (_parent, args, ctx) =>
      ctx.functions.call('orders', { method: 'POST', path: `/orders/${segment(args.id)}/cancel` }),
    createProduct: (_parent, args, ctx) =>
      ctx.functions.call('catalog', {
        method: 'POST',
        path: '/products',
        body: withoutNulls(args.input),
      }),
    updateProduct: (_parent, args, ctx) =>
      ctx.functions.call('catalog', {
        method: 'PATCH',
        path: `/products/${segment(args.id)}`,
        body: withoutNulls(args.input),
      }),
    restock: (_parent, args, ctx) =>
      ctx.functions.call('catalog', {
        method: 'POST',
        path: `/stock/${segment(args.sku)}`,
        body: { quantity: args.quantity },
      }),
    addVariant: (_parent, args, ctx) =>
      ctx.functions.call('catalog', {
        method: 'POST',
        path: `/products/${segment(args.productId)}/variants`,
        body: withoutNulls(args.input),
      }),
    updateVariant: (_parent, args, ctx) =>
      ctx.functions.call('catalog', {
        method: 'PATCH',
        path: `/variants/${segment(args.sku)}`,
        // imageId: null means "show no picture", so it is kept as null.
        body: {
          ...withoutNulls({ priceCents: args.input.priceCents, options: args.input.options }),
          ...(args.input.imageId !== undefined ? { imageId: args.input.imageId } : {}),
        },
      }),
    removeVariant: (_parent, args, ctx) =>
      ctx.functions.call('catalog', { method: 'DELETE', path: `/variants/${segment(args.sku)}` }),
    importProducts: (_parent, args, ctx) =>
      ctx.functions.call('catalog', {
        method: 'POST',
        path: '/imports',
        body: { uploadId: args.uploadId },
      }),
    exportProducts: (_parent, _args, ctx) =>
      ctx.functions.call('catalog', { method: 'POST', path: '/exports' }),
    createUpload: (_parent, args, ctx) =>
      ctx.functions.call('catalog', { method: 'POST', path: '/uploads', body: args.input }),
    addProductImage: (_parent, args, ctx) =>
      ctx.functions.call('catalog', {
        method: 'POST',
        path: `/products/${segment(args.productId)}/images`,
        body: withoutNulls(args.input),
      }),
    updateProductImage: (_parent, args, ctx) =>
      ctx.functions.call('catalog', {
        method: 'PATCH',
        path: `/products/${segment(args.productId)}/images/${segment(args.imageId)}`,
        body: { alt: args.alt },
      }),
    removeProductImage: (_parent, args, ctx) =>
      ctx.functions.call('catalog', {
        method: 'DELETE',
        path: `/products/${segment(args.productId)}/images/${segment(args.imageId)}`,
      }),
    createCollection: (_parent, args, ctx) =>
      ctx.functions.call('catalog', {
        method: 'POST',
        path: '/collections',
        body: withoutNulls(args.input),
      }),
    updateCollection: (_parent, args, ctx) =>
      ctx.functions.call('catalog', {
        method: 'PATCH',
        path: `/collections/${segment(args.id)}`,
        body: withoutNulls(args.input),
      }),
  },
} satisfies Resolvers;

/**
 * Batched field resolvers (Mercurius loaders): every `Product.stock` of one request is
 * answered by one GetStock for all the SKUs involved, every `Product.collections` by one
 * look-up in the catalog, made only when the query selects them.
 */
export const loaders = {
  Product: { stock: stockOfSkus, collections: collectionsOfProducts },
  Variant: { stock: stockOfSkus },
};

/** A product as the catalog answers it: its collections' ids, their summaries in some answers. */
interface ProductCollections {
  collectionIds?: string[];
  collections?: Collection[];
}

/** The catalog's bound on one look-up (functions/catalog/product-schemas.ts, CollectionLookup). */
const COLLECTIONS_PER_LOOKUP = 1_000;

async function collectionsOfProducts(
  queries: { obj: ProductCollections }[],
  ctx: GatewayContext,
): Promise<Collection[][]> {
  const missing = [
    ...new Set(queries.flatMap(({ obj }) => (obj.collections ? [] : (obj.collectionIds ?? [])))),
  ];
  const chunks: string[][] = [];
  for (let i = 0; i < missing.length; i += COLLECTIONS_PER_LOOKUP) {
    chunks.push(missing.slice(i, i + COLLECTIONS_PER_LOOKUP));
  }
  const found = await Promise.all(
    chunks.map((ids) =>
      ctx.functions
        .call<{ collections: Collection[] }>('catalog', {
          method: 'POST',
          path: '/collections/lookup',
          body: { ids },
        })
        .then((answer) => answer.collections),
    ),
  );
  const byId = new Map(found.flat().map((collection) => [collection.id, collection]));
  return queries.map(
    ({ obj }) => obj.collections ?? (obj.collectionIds ?? []).flatMap((id) => byId.get(id) ?? []),
  );
}

/**
 * The stock of every product and variant in one request's answer, in as few GetStock calls
 * as inventory's per-call bound allows (all of them at once).
 */
async function stockOfSkus(queries: { obj: ProductRef }[], ctx: GatewayContext) {
  const skus = [...new Set(queries.map(({ obj }) => obj.sku))];
  const chunks: string[][] = [];
  for (let i = 0; i < skus.length; i += INVENTORY_LIMITS.maxSkusPerRequest) {
    chunks.push(skus.slice(i, i + INVENTORY_LIMITS.maxSkusPerRequest));
  }
  const levels = (await Promise.all(chunks.map((chunk) => ctx.stock.getStock(chunk)))).flat();
  const bySku = new Map(levels.map((level) => [level.sku, level]));
  return queries.map(
    ({ obj }) => bySku.get(obj.sku) ?? { sku: obj.sku, available: 0, reserved: 0 },
  );
}
