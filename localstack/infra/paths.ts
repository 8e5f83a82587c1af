import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (two levels above this file). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Everything the local infrastructure installs or writes (jars, binaries, data, logs,
 * pid records) lives under this git-ignored folder; `ORDERLY_CACHE_DIR` moves it.
 */
export const CACHE_DIR = process.env.ORDERLY_CACHE_DIR
  ? resolve(process.env.ORDERLY_CACHE_DIR)
  : join(REPO_ROOT, '.cache');

export const INFRA_DIR = join(CACHE_DIR, 'infra');

/** `KEY=VALUE` lines with the connection settings of the running infrastructure. */
export const CONNECTION_ENV_FILE = join(INFRA_DIR, 'connection.env');

export const LOCALSTACK_DIR = join(REPO_ROOT, 'localstack');
