import { NOTIFICATION_INDEXES } from '../../functions/notifications/notifications.js';
import { PAYMENT_INDEXES } from '../../functions/payments/payment-store.js';
import { readGatewayConfig } from '../../gateway/config.js';
import { InProcessInvoker } from '../../gateway/invokers/in-process-invoker.js';
import { type RunningGateway, startGatewayServer } from '../../gateway/server.js';
import { readAuthConfig } from '../../shared/auth/auth-config.js';
import { type KafkaConfig, loadConfig, type MongoConfig } from '../../shared/config/config.js';
import { connectEventBus } from '../../shared/events/event-bus.js';
import type { EventTopics } from '../../shared/events/topics.js';
import { createInventoryClient } from '../../shared/grpc/inventory-client.js';
import type { Logger } from '../../shared/logger/logger.js';
import { connectMongo } from '../../shared/mongo/mongo-client.js';
import { buildFunctionApps, FUNCTION_INDEXES } from './function-apps.js';

export interface EmbeddedGatewayOptions {
  logger: Logger;
  mongo: MongoConfig;
  kafka: KafkaConfig;
  topics: EventTopics;
  inventoryAddress: string;
  host: string;
  port: number;
  admin?: { email: string; password: string };
}

export interface EmbeddedGateway extends RunningGateway {
  /** Where GraphiQL is served, when it is on. */
  graphiqlUrl: string | undefined;
}

/**
 * The embedded mode: the HTTP functions as apps in this process behind the gateway server
 * (queries, mutations and WebSocket subscriptions), with the gateway's settings from the
 * environment (JWT, limits, GraphiQL).
 */
export async function startEmbeddedGateway(
  options: EmbeddedGatewayOptions,
): Promise<EmbeddedGateway> {
  const { config, auth } = loadConfig((env) => {
    const gatewayConfig = readGatewayConfig(env);
    return { config: gatewayConfig, auth: readAuthConfig(env, gatewayConfig.runtime) };
  });
  const mongo = await connectMongo(options.mongo, {
    logger: options.logger,
    indexes: [...FUNCTION_INDEXES, ...PAYMENT_INDEXES, ...NOTIFICATION_INDEXES],
    appName: 'orderly-functions',
  });
  const bus = await connectEventBus(
    options.kafka,
    { topicPrefix: options.topics.prefix },
    options.logger,
  );
  const inventory = createInventoryClient({ address: options.inventoryAddress });
  try {
    const apps = await buildFunctionApps({
      logger: options.logger,
      db: mongo.db,
      auth,
      stock: inventory,
      publisher: bus.publisher,
      ...(options.admin ? { admin: options.admin } : {}),
    });
    const gateway = await startGatewayServer({
      host: options.host,
      port: options.port,
      logger: options.logger,
      invoker: new InProcessInvoker(apps),
      stock: inventory,
      settings: config.settings,
      events: { kafka: options.kafka, topics: options.topics },
    });
    return {
      ...gateway,
      graphiqlUrl: config.settings.graphiql
        ? gateway.url.replace(/graphql$/, 'graphiql')
        : undefined,
      async close() {
        await gateway.close();
        await Promise.allSettled(Object.values(apps).map((app) => app.close()));
        inventory.close();
        await Promise.allSettled([bus.close(), mongo.close()]);
      },
    };
  } catch (err) {
    inventory.close();
    await Promise.allSettled([bus.close(), mongo.close()]);
    throw err;
  }
}
