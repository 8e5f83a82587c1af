import { readAuthLimits } from '../../functions/accounts/config.js';
import { NOTIFICATION_INDEXES } from '../../functions/notifications/port.js';
import { readGatewayConfig } from '../../gateway/config.js';
import type { FunctionInvoker } from '../../gateway/invokers/function-invoker.js';
import { InProcessInvoker } from '../../gateway/invokers/in-process-invoker.js';
import { type RunningGateway, startGatewayServer } from '../../gateway/server.js';
import { readAuthConfig } from '../../shared/auth/auth-config.js';
import { type KafkaConfig, loadConfig, type MongoConfig } from '../../shared/config/config.js';
import type { Env } from '../../shared/config/env-reader.js';
import { connectEventBus } from '../../shared/events/event-bus.js';
import type { EventTopics } from '../../shared/events/topics.js';
import { createInventoryClient } from '../../shared/grpc/inventory-client.js';
import type { Logger } from '../../shared/logger/logger.js';
import { connectMongo } from '../../shared/mongo/mongo-client.js';
import type { MediaStorageConfig } from '../../shared/storage/media-storage-config.js';
import { type ObjectStorage, s3ObjectStorage } from '../../shared/storage/object-storage.js';
import { buildFunctionApps, FUNCTION_INDEXES } from './function-apps.js';
import { INBOX_PATH, mailInbox } from './mail-inbox.js';
import { ensureStorefrontBuilt } from './storefront-build.js';

export interface LocalGatewayOptions {
  logger: Logger;
  kafka: KafkaConfig;
  topics: EventTopics;
  inventoryAddress: string;
  host: string;
  port: number;
  /** The media bucket: the catalog's pictures, and the storefront's image and upload origins. */
  media: MediaStorageConfig;
  /** Where the gateway's and the functions' settings are read from (the platform's env). */
  env: Env;
  /** LocalStack's list of sent mail: the gateway then serves the mail inbox at /_inbox. */
  sentMailRecordUrl?: string;
}

/** The shop's name and the storefront's address, for the links in account mails. */
export interface ShopIdentity {
  name: string;
  url: string;
}

export interface LocalGateway extends RunningGateway {
  /** Where GraphiQL is served, when it is on. */
  graphiqlUrl: string | undefined;
  /** Where the storefront is served: the gateway's root. */
  storefrontUrl: string;
  /** The mail inbox: every mail the platform sent, as customers got it. */
  inboxUrl: string | undefined;
}

/**
 * The gateway server (queries, mutations and WebSocket subscriptions fed from Kafka) in front
 * of functions reached through `invoker`, with its settings from the environment (limits,
 * GraphiQL, introspection).
 */
export async function startLocalGateway(
  options: LocalGatewayOptions & { invoker: FunctionInvoker },
): Promise<LocalGateway> {
  const config = loadConfig(readGatewayConfig, options.env);
  // The storefront at `/`: the one STOREFRONT_DIR names, or this repository's, built if stale.
  const storefrontRoot = config.storefrontRoot ?? (await ensureStorefrontBuilt(options.logger));
  const inventory = createInventoryClient({ address: options.inventoryAddress });
  try {
    const gateway = await startGatewayServer({
      host: options.host,
      port: options.port,
      logger: options.logger,
      invoker: options.invoker,
      stock: inventory,
      settings: config.settings,
      hopSecret: config.hopSecret,
      storefrontRoot,
      // Pictures are read from, and uploaded straight to, object storage (LocalStack here).
      storefrontOrigins: [
        ...new Set([origin(options.media.publicBaseUrl), origin(options.media.endpoint)]),
      ].filter((value): value is string => value !== undefined),
      events: { kafka: options.kafka, topics: options.topics },
      ...(options.sentMailRecordUrl ? { addRoutes: mailInbox(options.sentMailRecordUrl) } : {}),
    });
    return {
      ...gateway,
      storefrontUrl: gateway.url.replace(/graphql$/, ''),
      inboxUrl: options.sentMailRecordUrl
        ? gateway.url.replace(/\/graphql$/, INBOX_PATH)
        : undefined,
      graphiqlUrl: config.settings.graphiql
        ? gateway.url.replace(/graphql$/, 'graphiql')
        : undefined,
      async close() {
        await gateway.close();
        inventory.close();
      },
    };
  } catch (err) {
    inventory.close();
    throw err;
  }
}

/**
 * The embedded mode: the HTTP functions as apps in this process behind the gateway server,
 * sharing one database connection and one producer.
 */
export async function startEmbeddedGateway(
  options: LocalGatewayOptions & {
    mongo: MongoConfig;
    admin?: { email: string; password: string };
    shop: ShopIdentity;
  },
): Promise<LocalGateway> {
  const auth = loadConfig(
    (env) => readAuthConfig(env, readGatewayConfig(env).runtime),
    options.env,
  );
  const mongo = await connectMongo(options.mongo, {
    logger: options.logger,
    indexes: [...FUNCTION_INDEXES, ...NOTIFICATION_INDEXES],
    appName: 'orderly-functions',
  });
  const inventory = createInventoryClient({ address: options.inventoryAddress });
  let bus: Awaited<ReturnType<typeof connectEventBus>> | undefined;
  let media: ObjectStorage | undefined;
  const closeClients = async () => {
    inventory.close();
    media?.close();
    await Promise.allSettled([bus?.close(), mongo.close()]);
  };
  try {
    bus = await connectEventBus(
      options.kafka,
      { topicPrefix: options.topics.prefix },
      options.logger,
    );
    media = s3ObjectStorage(options.media);
    const apps = await buildFunctionApps({
      logger: options.logger,
      db: mongo.db,
      auth,
      stock: inventory,
      media,
      publisher: bus.publisher,
      ...(options.admin ? { admin: options.admin } : {}),
      authLimits: loadConfig(readAuthLimits, options.env),
      shop: options.shop,
    });
    const gateway = await startLocalGateway({ ...options, invoker: new InProcessInvoker(apps) });
    return {
      ...gateway,
      async close() {
        await gateway.close();
        await Promise.allSettled(Object.values(apps).map((app) => app.close()));
        await closeClients();
      },
    };
  } catch (err) {
    await closeClients();
    throw err;
  }
}

/** The origin (scheme, host, port) of a URL. */
function origin(url: string | undefined): string | undefined {
  return url ? new URL(url).origin : undefined;
}
