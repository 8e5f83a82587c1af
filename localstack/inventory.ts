import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createToolLogger } from '../shared/logger/tool-logger.js';
import { readConnectionSettings } from './infra/connection-settings.js';
import { REPO_ROOT } from './infra/paths.js';

/**
 * `npm run inventory`: runs the inventory gRPC service against the infrastructure that
 * `npm run infra:up` started (settings from .cache/infra/connection.env; variables already
 * set in the environment win). Signals are passed on, so Ctrl-C stops it gracefully.
 */
const logger = createToolLogger('inventory');

const fromInfra = readConnectionSettings();
if (Object.keys(fromInfra).length === 0 && !process.env.MONGODB_URI) {
  logger.warn('no settings from `npm run infra:up` found; using localhost defaults');
}
const child = spawn(
  process.execPath,
  ['--import', 'tsx', join(REPO_ROOT, 'services', 'inventory', 'main.ts')],
  { stdio: 'inherit', env: { ...fromInfra, ...process.env } },
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
