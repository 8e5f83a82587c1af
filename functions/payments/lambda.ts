import { loadConfig } from '../../shared/config/config.js';
import { handlerOnFirstCall } from '../../shared/lambda/handler-on-first-call.js';
import { createLogger } from '../../shared/logger/logger.js';
import { readPaymentsConfig } from './config.js';
import { createPaymentsHandler } from './handler.js';

/** The Lambda entry point; its configuration is read on the first invocation. */
export const handler = handlerOnFirstCall(() => {
  const config = loadConfig(readPaymentsConfig);
  const logger = createLogger({ name: 'payments', level: config.runtime.logLevel });
  return createPaymentsHandler(config, logger);
});
