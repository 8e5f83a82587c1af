import { loadConfig } from '../../shared/config/config.js';
import { createLogger } from '../../shared/logger/logger.js';
import { createOrderSagaHandler, readOrderSagaConfig } from './handler.js';

const config = loadConfig(readOrderSagaConfig);
const logger = createLogger({ name: 'order-saga', level: config.runtime.logLevel });

export const handler = createOrderSagaHandler(config, logger);
