import { loadConfig } from '../../shared/config/config.js';
import { createLogger } from '../../shared/logger/logger.js';
import { createReservationExpiryHandler, readOrderSweepsConfig } from './handler.js';

const config = loadConfig(readOrderSweepsConfig);
const logger = createLogger({ name: 'reservation-expiry', level: config.runtime.logLevel });

export const handler = createReservationExpiryHandler(config, logger);
