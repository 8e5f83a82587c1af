import { loadConfig } from '../../shared/config/config.js';
import { handlerOnFirstCall } from '../../shared/lambda/handler-on-first-call.js';
import { createLogger } from '../../shared/logger/logger.js';
import { readNotificationsConfig } from './config.js';
import { createMailSweepHandler } from './handler.js';

/** The scheduled mail sweep's Lambda entry point; its configuration is read on the first call. */
export const handler = handlerOnFirstCall(() => {
  const config = loadConfig(readNotificationsConfig);
  const logger = createLogger({ name: 'mail-sweep', level: config.runtime.logLevel });
  return createMailSweepHandler(config, logger);
});
