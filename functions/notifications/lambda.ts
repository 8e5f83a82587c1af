import { loadConfig } from '../../shared/config/config.js';
import { handlerOnFirstCall } from '../../shared/lambda/handler-on-first-call.js';
import { createLogger } from '../../shared/logger/logger.js';
import { readNotificationsConfig } from './config.js';
import { createNotificationsHandler } from './handler.js';

/** The Lambda entry point; its configuration is read on the first invocation. */
export const handler = handlerOnFirstCall(() => {
  const config = loadConfig(readNotificationsConfig);
  const logger = createLogger({ name: 'notifications', level: config.runtime.logLevel });
  return createNotificationsHandler(config, logger);
});
