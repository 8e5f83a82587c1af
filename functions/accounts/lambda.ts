import { loadConfig } from '../../shared/config/config.js';
import { createLambdaHandler } from '../../shared/http/lambda-handler.js';
import { createLogger } from '../../shared/logger/logger.js';
import { openMongo } from '../../shared/mongo/mongo-client.js';
import { buildApp } from './app.js';
import { readAccountsConfig } from './config.js';

/**
 * The Lambda entry point; its configuration is read when the first invocation builds the app,
 * while the database connects (indexes are made by `npm run migrate`, not here).
 */
export const handler = createLambdaHandler(async () => {
  const config = loadConfig(readAccountsConfig);
  const logger = createLogger({ name: 'accounts', level: config.runtime.logLevel });
  const mongo = openMongo(config.mongo, { logger, appName: 'orderly-accounts' });
  const app = await buildApp({ logger, db: mongo.db, ...config });
  app.addHook('onClose', () => mongo.close());
  return { app, connected: mongo.ready };
});
