import { loadConfig } from '../../shared/config/config.js';
import { readHttpFunctionConfig } from '../../shared/http/function-config.js';
import { createLambdaHandler } from '../../shared/http/lambda-handler.js';
import { createLogger } from '../../shared/logger/logger.js';
import { connectMongo } from '../../shared/mongo/mongo-client.js';
import { buildApp } from './app.js';
import { ORDER_INDEXES } from './order-store.js';

const config = loadConfig(readHttpFunctionConfig);
const logger = createLogger({ name: 'orders', level: config.runtime.logLevel });

export const handler = createLambdaHandler(async () => {
  const mongo = await connectMongo(config.mongo, {
    logger,
    indexes: ORDER_INDEXES,
    appName: 'orderly-orders',
  });
  const app = await buildApp({ logger, db: mongo.db, auth: config.auth });
  app.addHook('onClose', () => mongo.close());
  return app;
});
