import { prettyFactory } from 'pino-pretty';
import { createToolLogger } from '../shared/logger/tool-logger.js';
import { shutdownTelemetry } from '../shared/telemetry/telemetry.js';
import { startLocalPlatform } from './platform/local-platform.js';
import { formatTable } from './platform/platform-table.js';

/**
 * `npm start` (embedded: every function in this process) and `npm run offline` (`--offline`:
 * the functions under serverless offline): provisions and starts the whole local platform,
 * prints what runs where, and keeps running until Ctrl-C (SIGINT) or SIGTERM, when it stops
 * everything it started. Servers that were already running (`npm run infra:up`) or that
 * KAFKA_BROKERS / MONGODB_URI point at are used and left running.
 */
const logger = createToolLogger('start');

async function main(): Promise<void> {
  // A signal that arrives while starting is honoured once the start is done (or failed).
  let signal: NodeJS.Signals | undefined;
  let onSignal: (received: NodeJS.Signals) => void = (received) => {
    signal = received;
    logger.info({ signal: received }, 'stopping once the start is done');
  };
  const listener = (received: NodeJS.Signals) => onSignal(received);
  process.on('SIGINT', listener);
  process.on('SIGTERM', listener);

  const mode = process.argv.includes('--offline') ? 'offline' : 'embedded';
  const platform = await startLocalPlatform({
    mode,
    loggerFor: createToolLogger,
    onFunctionOutput: functionOutputPrinter(),
  });
  process.stdout.write(
    `\nOrderly is running (${mode} mode)\n\n${formatTable(platform.components)}\n\n` +
      'Press Ctrl-C to stop.\n\n',
  );

  // Signal listeners alone do not keep Node's event loop alive; this timer does.
  const keepAlive = setInterval(() => undefined, 60_000);
  const received =
    signal ??
    (await new Promise<NodeJS.Signals>((resolve) => {
      onSignal = resolve;
    }));
  clearInterval(keepAlive);
  onSignal = () => logger.info('already stopping');
  logger.info({ signal: received }, 'shutting down');
  await platform.stop();
  // The last spans (the shutdown's own) go to the trace viewer before the process ends.
  await shutdownTelemetry();
  process.off('SIGINT', listener);
  process.off('SIGTERM', listener);
  logger.info('stopped');
}

/**
 * Prints what serverless offline and the functions under it write, on stderr like the other
 * logs: the functions' pino lines pretty-printed, serverless offline's own lines as they are.
 */
function functionOutputPrinter(): (line: string) => void {
  const pretty = prettyFactory({
    ignore: 'pid,hostname,service',
    translateTime: 'SYS:HH:MM:ss',
    messageFormat: '[{service}] {msg}',
  });
  return (line) => {
    const text = line.startsWith('{') ? pretty(line) : `[offline] ${line}\n`;
    process.stderr.write(text);
  };
}

main().catch((err: unknown) => {
  logger.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
