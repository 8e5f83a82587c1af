import { loadConfig } from '../../shared/config/config.js';
import { readEventFunctionConfig } from '../../shared/kafka-lambda/kafka-function-config.js';
import { createLogger } from '../../shared/logger/logger.js';
import { createReservationExpiryHandler } from './expiry-handler.js';

const config = loadConfig((env) => readEventFunctionConfig(env, 'orderly-reservation-expiry'));
const logger = createLogger({ name: 'reservation-expiry', level: config.runtime.logLevel });

export const handler = createReservationExpiryHandler(config, logger);
