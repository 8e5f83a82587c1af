import { loadConfig } from '../../shared/config/config.js';
import { createLambdaHandler } from '../../shared/http/lambda-handler.js';
import { createLogger } from '../../shared/logger/logger.js';
import { openMongo } from '../../shared/mongo/mongo-client.js';
import { buildApp } from './app.js';
import { readCartsConfig } from './config.js';

/**
 * The Lambda entry point; its configuration is read when the first invocation builds the app,
 * while the database connects (indexes are made by `npm run migrate`, not here).
 */
export const handler = createLambdaHandler(async () => {
  const config = loadConfig(readCartsConfig);
  const logger = createLogger({ name: 'carts', level: config.runtime.logLevel });
  const mongo = openMongo(config.mongo, { logger, appName: 'orderly-carts' });
  const app = await buildApp({ logger, db: mongo.db, auth: config.auth });
  app.addHook('onClose', () => mongo.close());
  return { app, connected: mongo.ready };
});
