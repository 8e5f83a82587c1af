import { loadConfig } from '../../shared/config/config.js';
import { handlerOnFirstCall } from '../../shared/lambda/handler-on-first-call.js';
import { createLogger } from '../../shared/logger/logger.js';
import { readOrderSweepsConfig } from './config.js';
import { createReservationExpiryHandler } from './handler.js';

/** The Lambda entry point; its configuration is read on the first invocation. */
export const handler = handlerOnFirstCall(() => {
  const config = loadConfig(readOrderSweepsConfig);
  const logger = createLogger({ name: 'reservation-expiry', level: config.runtime.logLevel });
  return createReservationExpiryHandler(config, logger);
});
