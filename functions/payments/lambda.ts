import { loadConfig } from '../../shared/config/config.js';
import { createLogger } from '../../shared/logger/logger.js';
import { createPaymentsHandler, readPaymentsConfig } from './handler.js';

const config = loadConfig(readPaymentsConfig);
const logger = createLogger({ name: 'payments', level: config.runtime.logLevel });

export const handler = createPaymentsHandler(config, logger);
