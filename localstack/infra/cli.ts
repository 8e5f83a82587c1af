import { createToolLogger } from '../../shared/logger/tool-logger.js';
import { infraDown, infraStatus, infraUp } from './infra.js';
import { CONNECTION_ENV_FILE } from './paths.js';
import { zipkinDown } from './zipkin.js';

const USAGE = 'usage: infra <up|down|status>';
const logger = createToolLogger('infra');

async function main(command: string | undefined): Promise<number> {
  switch (command) {
    case 'up': {
      const result = await infraUp(logger);
      for (const service of result.services) {
        logger.info(`${service.name}: ${service.server} at ${service.url} (${service.origin})`);
      }
      logger.info(`settings written to ${CONNECTION_ENV_FILE}`);
      // stdout carries only the settings, so `eval "$(npm run -s infra:up)"` works.
      for (const [key, value] of Object.entries(result.settings))
        process.stdout.write(`${key}=${value}\n`);
      return 0;
    }
    case 'down':
      await infraDown(logger);
      // The trace viewer, when `ORDERLY_TRACING=zipkin npm start` left one running.
      await zipkinDown(logger);
      return 0;
    case 'status': {
      const lines = await infraStatus();
      if (lines.length === 0) process.stdout.write('nothing is running (run: npm run infra:up)\n');
      for (const line of lines) {
        const state = line.running ? 'running' : 'NOT RUNNING';
        const pid = line.pid ? ` pid ${line.pid}` : '';
        const log = line.logFile ? ` log ${line.logFile}` : '';
        process.stdout.write(
          `${line.name}: ${state} - ${line.server} at ${line.url} (${line.origin === 'external' ? 'external' : 'managed'}${pid})${log}\n`,
        );
        if (line.warning) process.stdout.write(`  WARNING: ${line.warning}\n`);
      }
      return lines.every((line) => line.running) ? 0 : 1;
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    logger.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
