import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from '../../shared/logger/logger.js';
import { isRunning, stopDaemon } from './daemon.js';
import { installKafka, launchKafka, waitForKafka } from './kafka.js';
import { withLock } from './lock.js';
import { chooseMongoServer, installMongo, launchMongo, waitForMongo } from './mongo.js';
import { canConnect, choosePort } from './net.js';
import { CONNECTION_ENV_FILE, INFRA_DIR } from './paths.js';
import {
  deleteRecord,
  readRecord,
  type ServiceName,
  type ServiceRecord,
  saveRecord,
} from './service-record.js';

const HOST = '127.0.0.1';
const LOCK_FILE = join(INFRA_DIR, '.lock');

/** The settings a process needs to reach the infrastructure, by environment variable name. */
export interface ConnectionSettings {
  KAFKA_BROKERS: string;
  MONGODB_URI: string;
}

const SETTING_OF: Record<ServiceName, keyof ConnectionSettings> = {
  kafka: 'KAFKA_BROKERS',
  mongo: 'MONGODB_URI',
};

export type Origin = 'started' | 'reused' | 'external';

export interface ServiceStatus {
  name: ServiceName;
  origin: Origin;
  server: string;
  url: string;
  pid?: number;
  logFile?: string;
}

export interface InfraUpResult {
  settings: ConnectionSettings;
  services: ServiceStatus[];
  /** The services this call started (and so the caller may stop). */
  started: ServiceName[];
}

/** A recorded server that is still ours and still listening. */
async function liveRecord(name: ServiceName): Promise<ServiceRecord | undefined> {
  const record = readRecord(name);
  if (!record) return undefined;
  if (isRunning(record.daemon) && (await canConnect(record.host, record.port))) return record;
  if (isRunning(record.daemon)) await stopDaemon(record.daemon);
  deleteRecord(name);
  return undefined;
}

/**
 * Brings Kafka and the MongoDB-compatible server up on 127.0.0.1, installing them into the
 * cache first when needed. A setting already present in `env` (KAFKA_BROKERS, MONGODB_URI)
 * means that server is external and nothing is started for it; a server this project
 * started earlier and that still runs is reused. Idempotent.
 */
export interface InfraUpOptions {
  /** Where KAFKA_BROKERS / MONGODB_URI may already point at external servers. */
  env?: NodeJS.ProcessEnv;
  /** Where the chosen settings are written for other scripts. */
  settingsFile?: string;
}

export function infraUp(logger: Logger, options: InfraUpOptions = {}): Promise<InfraUpResult> {
  const env = options.env ?? process.env;
  return withLock(LOCK_FILE, async () => {
    const services: ServiceStatus[] = [];
    const toStart: ServiceName[] = [];
    for (const name of ['kafka', 'mongo'] as const) {
      const external = env[SETTING_OF[name]]?.trim();
      if (external) {
        services.push({ name, origin: 'external', server: 'external', url: external });
        continue;
      }
      const record = await liveRecord(name);
      if (record) services.push(statusOf(record, 'reused'));
      else toStart.push(name);
    }

    const mongoKind = toStart.includes('mongo') ? chooseMongoServer() : 'ferretdb';
    await Promise.all([
      toStart.includes('kafka') ? installKafka(logger) : undefined,
      toStart.includes('mongo') ? installMongo(logger, mongoKind) : undefined,
    ]);

    const taken = new Set<number>();
    const pick = async (preferred: number) => {
      const port = await choosePort(HOST, preferred, taken);
      taken.add(port);
      return port;
    };
    const launched: ServiceRecord[] = [];
    if (toStart.includes('kafka')) {
      launched.push(await launchKafka(logger, HOST, await pick(9092), await pick(9093)));
    }
    if (toStart.includes('mongo')) {
      launched.push(launchMongo(logger, mongoKind, HOST, await pick(27017)));
    }
    for (const record of launched) saveRecord(record);

    const results = await Promise.allSettled(
      launched.map((record) =>
        record.name === 'kafka' ? waitForKafka(record) : waitForMongo(record),
      ),
    );
    const failure = results.find((result) => result.status === 'rejected');
    if (failure) {
      for (const record of launched) {
        await stopDaemon(record.daemon);
        deleteRecord(record.name);
      }
      throw (failure as PromiseRejectedResult).reason;
    }
    for (const record of launched) {
      saveRecord(record); // now with the server's own description
      services.push(statusOf(record, 'started'));
      logger.info({ url: record.url, pid: record.daemon.pid }, `${record.server} is ready`);
    }

    services.sort((a, b) => a.name.localeCompare(b.name));
    const settings = settingsOf(services);
    writeConnectionEnv(settings, options.settingsFile ?? CONNECTION_ENV_FILE);
    return { settings, services, started: launched.map((record) => record.name) };
  });
}

/** Stops the servers this project started (all, or the named ones), by their records. */
export function infraDown(
  logger: Logger,
  names: readonly ServiceName[] = ['kafka', 'mongo'],
): Promise<void> {
  return withLock(LOCK_FILE, async () => {
    await Promise.all(
      names.map(async (name) => {
        const record = readRecord(name);
        if (!record) return;
        const outcome = await stopDaemon(record.daemon);
        deleteRecord(name);
        logger.info({ pid: record.daemon.pid, outcome }, `${record.server} ${outcome}`);
      }),
    );
  });
}

/** What runs now: servers started by this project and external ones named by the environment. */
export async function infraStatus(
  env: NodeJS.ProcessEnv = process.env,
): Promise<(ServiceStatus & { running: boolean })[]> {
  const lines: (ServiceStatus & { running: boolean })[] = [];
  for (const name of ['kafka', 'mongo'] as const) {
    const external = env[SETTING_OF[name]]?.trim();
    const record = readRecord(name);
    if (external) {
      const [host = '', port = ''] = (external.split(',')[0] ?? '')
        .replace(/^mongodb:\/\//, '')
        .split(/[:/]/);
      const running = await canConnect(host, Number(port) || 27017).catch(() => false);
      lines.push({ name, origin: 'external', server: 'external', url: external, running });
    } else if (record) {
      const running = isRunning(record.daemon) && (await canConnect(record.host, record.port));
      lines.push({ ...statusOf(record, 'started'), running });
    }
  }
  return lines;
}

function statusOf(record: ServiceRecord, origin: Origin): ServiceStatus {
  return {
    name: record.name,
    origin,
    server: record.server,
    url: record.url,
    pid: record.daemon.pid,
    logFile: record.daemon.logFile,
  };
}

function settingsOf(services: readonly ServiceStatus[]): ConnectionSettings {
  const url = (name: ServiceName) => services.find((service) => service.name === name)?.url ?? '';
  return { KAFKA_BROKERS: url('kafka'), MONGODB_URI: url('mongo') };
}

/** Writes the settings where other scripts and shells read them (`set -a; . FILE`). */
function writeConnectionEnv(settings: ConnectionSettings, file: string): void {
  const lines = Object.entries(settings).map(([key, value]) => `${key}=${value}`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${lines.join('\n')}\n`);
}
