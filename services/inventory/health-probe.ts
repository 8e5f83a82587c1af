import { checkHealth } from './health-check.js';

/**
 * Container health probe: exits 0 when the inventory on INVENTORY_HEALTH_ADDR (default
 * 127.0.0.1:50051) reports SERVING, 1 otherwise. Used by the Dockerfile's HEALTHCHECK.
 */
const address = process.env.INVENTORY_HEALTH_ADDR ?? '127.0.0.1:50051';
checkHealth(address).then(
  (status) => {
    process.stdout.write(`${status}\n`);
    process.exit(status === 'SERVING' ? 0 : 1);
  },
  (err: unknown) => {
    process.stdout.write(`UNREACHABLE: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
