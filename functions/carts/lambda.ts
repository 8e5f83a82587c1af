import { loadConfig } from '../../shared/config/config.js';
import { readHttpFunctionConfig } from '../../shared/http/function-config.js';
import { createLambdaHandler } from '../../shared/http/lambda-handler.js';
import { createLogger } from '../../shared/logger/logger.js';
import { connectMongo } from '../../shared/mongo/mongo-client.js';
import { buildApp } from './app.js';

const config = loadConfig(readHttpFunctionConfig);
const logger = createLogger({ name: 'carts', level: config.runtime.logLevel });

export const handler = createLambdaHandler(async () => {
  const mongo = await connectMongo(config.mongo, { logger, appName: 'orderly-carts' });
  const app = await buildApp({ logger, db: mongo.db, auth: config.auth });
  app.addHook('onClose', () => mongo.close());
  return app;
});
