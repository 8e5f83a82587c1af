import { loadConfig } from '../../shared/config/config.js';
import { createInventoryClient } from '../../shared/grpc/inventory-client.js';
import { createLambdaHandler } from '../../shared/http/lambda-handler.js';
import { createLogger } from '../../shared/logger/logger.js';
import { openMongo } from '../../shared/mongo/mongo-client.js';
import { s3ObjectStorage } from '../../shared/storage/object-storage.js';
import { buildApp } from './app.js';
import { readCatalogConfig } from './config.js';

/**
 * The Lambda entry point; its configuration is read when the first invocation builds the app,
 * while the database connects (indexes are made by `npm run migrate`, not here). A product's
 * events (a picture to resize) are left to the outbox relay: no Kafka client in this bundle,
 * so its cold starts stay short; the relay runs every minute.
 */
export const handler = createLambdaHandler(async () => {
  const config = loadConfig(readCatalogConfig);
  const logger = createLogger({ name: 'catalog', level: config.runtime.logLevel });
  const mongo = openMongo(config.mongo, { logger, appName: 'orderly-catalog' });
  const inventory = createInventoryClient({ address: config.inventoryAddress });
  const media = s3ObjectStorage(config.media);
  const app = await buildApp({ logger, db: mongo.db, auth: config.auth, stock: inventory, media });
  app.addHook('onClose', async () => {
    inventory.close();
    media.close();
    await mongo.close();
  });
  return { app, connected: mongo.ready };
});
