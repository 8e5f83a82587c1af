import type { Db } from 'mongodb';
import { buildApp as buildAccounts } from '../../functions/accounts/app.js';
import { type AuthLimits, DEFAULT_AUTH_LIMITS } from '../../functions/accounts/config.js';
import { ACCOUNT_INDEXES } from '../../functions/accounts/port.js';
import { buildApp as buildCarts } from '../../functions/carts/app.js';
import { buildApp as buildCatalog, type StockPort } from '../../functions/catalog/app.js';
import { CATALOG_INDEXES } from '../../functions/catalog/port.js';
import { buildApp as buildOrders } from '../../functions/orders/app.js';
import { ORDER_INDEXES } from '../../functions/orders/port.js';
import type { FunctionName } from '../../gateway/invokers/function-invoker.js';
import type { AuthConfig } from '../../shared/auth/auth-config.js';
import { loadConfig, readRuntimeConfig } from '../../shared/config/config.js';
import type { ImmediatePublisher } from '../../shared/events/event-bus.js';
import type { HttpApp } from '../../shared/http/http-app.js';
import type { Logger } from '../../shared/logger/logger.js';
import type { CollectionIndexes } from '../../shared/mongo/mongo-client.js';
import { readMediaStorageConfig } from '../../shared/storage/media-storage-config.js';
import { type ObjectStorage, s3ObjectStorage } from '../../shared/storage/object-storage.js';

export interface FunctionAppsDeps {
  logger: Logger;
  db: Db;
  auth: AuthConfig;
  stock: StockPort;
  publisher?: ImmediatePublisher;
  /** The media bucket; default: the one the environment names (LocalStack's, locally). */
  media?: ObjectStorage;
  admin?: { email: string; password: string };
  /** The accounts function's throttles (default: its defaults). */
  authLimits?: AuthLimits;
  /** The shop's name and storefront address, for the links in account mails. */
  shop?: { name: string; url: string };
}

/** Every index the HTTP functions rely on (a Lambda function ensures its own at start). */
export const FUNCTION_INDEXES: CollectionIndexes[] = [
  ...ACCOUNT_INDEXES,
  ...CATALOG_INDEXES,
  ...ORDER_INDEXES,
];

/**
 * The HTTP functions as apps in this process, for the embedded mode and the gateway's tests.
 * The database must have FUNCTION_INDEXES (connect with them).
 */
export async function buildFunctionApps(
  deps: FunctionAppsDeps,
): Promise<Record<FunctionName, HttpApp>> {
  const { logger, db, auth } = deps;
  let media: ObjectStorage | undefined;
  const apps: Record<FunctionName, HttpApp> = {
    accounts: await buildAccounts({
      logger,
      db,
      auth,
      ...(deps.admin ? { admin: deps.admin } : {}),
      limits: deps.authLimits ?? DEFAULT_AUTH_LIMITS,
      ...(deps.shop ? { shop: deps.shop } : {}),
    }),
    catalog: await buildCatalog({
      logger,
      db,
      auth,
      stock: deps.stock,
      media: deps.media ?? ownMedia(),
      ...(deps.publisher ? { publisher: deps.publisher } : {}),
    }),
    carts: await buildCarts({ logger, db, auth }),
    orders: await buildOrders({
      logger,
      db,
      auth,
      ...(deps.publisher ? { publisher: deps.publisher } : {}),
    }),
  };
  if (!deps.media) apps.catalog.addHook('onClose', async () => ownMedia().close());
  await Promise.all(Object.values(apps).map((app) => app.ready()));
  return apps;

  function ownMedia(): ObjectStorage {
    media ??= s3ObjectStorage(
      loadConfig((env) => readMediaStorageConfig(env, readRuntimeConfig(env))),
    );
    return media;
  }
}
