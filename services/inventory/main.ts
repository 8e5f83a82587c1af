import { loadConfig } from '../../shared/config/config.js';
import { ConfigError } from '../../shared/config/env-reader.js';
import { createLogger } from '../../shared/logger/logger.js';
import { shutdownTelemetry, telemetryReady } from '../../shared/telemetry/telemetry.js';
import { type InventoryConfig, readInventoryConfig } from './config.js';
import { startInventory } from './inventory-app.js';

/**
 * The inventory container's entry point: reads the configuration (failing fast, naming each
 * missing or invalid variable), starts the server, and stops gracefully on SIGTERM or SIGINT
 * with exit code 0.
 */
let config: Readonly<InventoryConfig>;
try {
  config = loadConfig(readInventoryConfig);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  createLogger({ name: 'inventory' }).fatal({ problems: err.problems }, err.message);
  process.exit(1);
}
const logger = createLogger({ name: 'inventory', level: config.runtime.logLevel });

try {
  await telemetryReady();
  const inventory = await startInventory(config, logger);
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'signal received');
    inventory
      .stop()
      .then(() => shutdownTelemetry())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
} catch (err) {
  logger.fatal({ err }, 'inventory failed to start');
  process.exit(1);
}
