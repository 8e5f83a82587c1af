import { loadConfig } from '../../shared/config/config.js';
import { createLogger } from '../../shared/logger/logger.js';
import { createOutboxRelayHandler, readOutboxRelayConfig } from './handler.js';

const config = loadConfig(readOutboxRelayConfig);
const logger = createLogger({ name: 'outbox-relay', level: config.runtime.logLevel });

export const handler = createOutboxRelayHandler(config, logger);
