import { PinoPretty } from 'pino-pretty';
import { createLogger, type Logger } from './logger.js';

/**
 * The logger of the local command-line tools (infra, test runner, start): readable lines
 * on stderr, so stdout stays free for output meant to be parsed.
 */
export function createToolLogger(name: string): Logger {
  return createLogger({
    name,
    level: process.env.ORDERLY_TOOL_LOG_LEVEL ?? 'info',
    destination: PinoPretty({
      destination: 2,
      sync: true,
      ignore: 'pid,hostname,service',
      translateTime: 'SYS:HH:MM:ss',
      messageFormat: `[${name}] {msg}`,
    }),
  });
}
