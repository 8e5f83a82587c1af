import { loadConfig } from '../../shared/config/config.js';
import { createLogger } from '../../shared/logger/logger.js';
import { createNotificationsHandler, readNotificationsConfig } from './handler.js';

const config = loadConfig(readNotificationsConfig);
const logger = createLogger({ name: 'notifications', level: config.runtime.logLevel });

export const handler = createNotificationsHandler(config, logger);
