import { loadConfig } from '../../shared/config/config.js';
import { handlerOnFirstCall } from '../../shared/lambda/handler-on-first-call.js';
import { createLogger } from '../../shared/logger/logger.js';
import { readOrderSagaConfig } from './config.js';
import { createOrderSagaHandler } from './handler.js';

/** The Lambda entry point; its configuration is read on the first invocation. */
export const handler = handlerOnFirstCall(() => {
  const config = loadConfig(readOrderSagaConfig);
  const logger = createLogger({ name: 'order-saga', level: config.runtime.logLevel });
  return createOrderSagaHandler(config, logger);
});
