import { loadConfig } from '../../shared/config/config.js';
import { handlerOnFirstCall } from '../../shared/lambda/handler-on-first-call.js';
import { createLogger } from '../../shared/logger/logger.js';
import { readMediaConfig } from './config.js';
import { createMediaHandler } from './handler.js';

/** The Lambda entry point; its configuration is read on the first invocation. */
export const handler = handlerOnFirstCall(() => {
  const config = loadConfig(readMediaConfig);
  const logger = createLogger({ name: 'media', level: config.runtime.logLevel });
  return createMediaHandler(config, logger);
});
