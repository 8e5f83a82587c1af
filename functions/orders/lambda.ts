import { loadConfig } from '../../shared/config/config.js';
import { connectEventBusInBackground } from '../../shared/events/event-bus.js';
import { createLambdaHandler } from '../../shared/http/lambda-handler.js';
import { createLogger } from '../../shared/logger/logger.js';
import { openMongo } from '../../shared/mongo/mongo-client.js';
import { createPaymentProvider } from '../payments/port.js';
import { buildApp } from './app.js';
import { readOrdersConfig } from './config.js';

/**
 * The Lambda entry point; its configuration is read when the first invocation builds the app,
 * while the database connects (indexes are made by `npm run migrate`, not here).
 */
export const handler = createLambdaHandler(async () => {
  const config = loadConfig(readOrdersConfig);
  const logger = createLogger({ name: 'orders', level: config.runtime.logLevel });
  const mongo = openMongo(config.mongo, { logger, appName: 'orderly-orders' });
  // New orders go to Kafka straight after the write; the outbox relay covers any failure.
  // Kafka connects in the background so that reads do not wait for it on a cold start.
  const bus = connectEventBusInBackground(config.kafka, config.events, logger);
  const app = await buildApp({
    logger,
    db: mongo.db,
    auth: config.auth,
    publisher: bus.publisher,
    payments: createPaymentProvider(config.payments, mongo.db, logger),
  });
  app.addHook('onClose', async () => {
    await Promise.allSettled([bus.close(), mongo.close()]);
  });
  return { app, connected: mongo.ready };
});
