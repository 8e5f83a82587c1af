import { loadConfig } from '../../shared/config/config.js';
import { createLogger } from '../../shared/logger/logger.js';
import { readMigrateConfig } from './config.js';
import { type MigrationResult, migrateDatabase } from './handler.js';

/**
 * The Lambda entry point, invoked once after each `serverless deploy` (deploy/migrate-plugin.cjs)
 * from inside the stack's network, where the database is reachable. Safe to invoke again.
 */
export async function handler(): Promise<MigrationResult> {
  const config = loadConfig(readMigrateConfig);
  const logger = createLogger({ name: 'migrate', level: config.runtime.logLevel });
  return migrateDatabase(config.mongo, logger);
}
