import { existsSync, readFileSync } from 'node:fs';
import { CONNECTION_ENV_FILE } from './paths.js';

/** The settings `npm run infra:up` wrote (KAFKA_BROKERS, MONGODB_URI); empty when there are none. */
export function readConnectionSettings(file = CONNECTION_ENV_FILE): Record<string, string> {
  if (!existsSync(file)) return {};
  const entries = readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#') && line.includes('='))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const);
  return Object.fromEntries(entries);
}
