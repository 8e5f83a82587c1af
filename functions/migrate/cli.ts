import { loadConfig } from '../../shared/config/config.js';
import { createToolLogger } from '../../shared/logger/tool-logger.js';
import { readMigrateConfig } from './config.js';
import { migrateDatabase } from './handler.js';

/** `npm run migrate`: the indexes, on the database MONGODB_URI and MONGODB_DB name. */
const logger = createToolLogger('migrate');
try {
  const config = loadConfig(readMigrateConfig);
  const { collections } = await migrateDatabase(config.mongo, logger);
  for (const [collection, names] of Object.entries(collections)) {
    logger.info(`${collection}: ${names.join(', ')}`);
  }
} catch (err) {
  logger.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
}
