import { createToolLogger } from '../../shared/logger/tool-logger.js';
import { ensureStorefrontBuilt } from './storefront-build.js';

/**
 * `npm run build:frontend`: builds the storefront into frontend/dist unless it already holds
 * a build of the current sources (`npm start` does the same on its way up).
 */
const logger = createToolLogger('storefront');
ensureStorefrontBuilt(logger).then(
  (dist) => logger.info({ dist }, 'storefront ready'),
  (err: unknown) => {
    logger.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
