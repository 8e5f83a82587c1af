import { loadConfig } from '../../shared/config/config.js';
import { handlerOnFirstCall } from '../../shared/lambda/handler-on-first-call.js';
import { createLogger } from '../../shared/logger/logger.js';
import { readCatalogEventsConfig } from './events-config.js';
import { createCatalogEventsHandler } from './handler.js';

/** The Lambda entry point of catalog-events; its configuration is read on the first invocation. */
export const handler = handlerOnFirstCall(() => {
  const config = loadConfig(readCatalogEventsConfig);
  const logger = createLogger({ name: 'catalog-events', level: config.runtime.logLevel });
  return createCatalogEventsHandler(config, logger);
});
