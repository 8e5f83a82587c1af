import { loadConfig } from '../../shared/config/config.js';
import { createInventoryClient } from '../../shared/grpc/inventory-client.js';
import { createLambdaHandler } from '../../shared/http/lambda-handler.js';
import { createLogger } from '../../shared/logger/logger.js';
import { openMongo } from '../../shared/mongo/mongo-client.js';
import { buildApp } from './app.js';
import { readCatalogConfig } from './config.js';

/**
 * The Lambda entry point; its configuration is read when the first invocation builds the app,
 * while the database connects (indexes are made by `npm run migrate`, not here).
 */
export const handler = createLambdaHandler(async () => {
  const config = loadConfig(readCatalogConfig);
  const logger = createLogger({ name: 'catalog', level: config.runtime.logLevel });
  const mongo = openMongo(config.mongo, { logger, appName: 'orderly-catalog' });
  const inventory = createInventoryClient({ address: config.inventoryAddress });
  const app = await buildApp({ logger, db: mongo.db, auth: config.auth, stock: inventory });
  app.addHook('onClose', async () => {
    inventory.close();
    await mongo.close();
  });
  return { app, connected: mongo.ready };
});
