import { loadConfig } from '../../shared/config/config.js';
import { handlerOnFirstCall } from '../../shared/lambda/handler-on-first-call.js';
import { createLogger } from '../../shared/logger/logger.js';
import { readOutboxRelayConfig } from './config.js';
import { createOutboxRelayHandler } from './handler.js';

/** The Lambda entry point; its configuration is read on the first invocation. */
export const handler = handlerOnFirstCall(() => {
  const config = loadConfig(readOutboxRelayConfig);
  const logger = createLogger({ name: 'outbox-relay', level: config.runtime.logLevel });
  return createOutboxRelayHandler(config, logger);
});
