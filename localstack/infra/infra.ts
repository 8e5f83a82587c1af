import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger } from '../../shared/logger/logger.js';
import { readConnectionSettings } from './connection-settings.js';
import { isRunning, stopDaemon } from './daemon.js';
import { installKafka, launchKafka, waitForKafka } from './kafka.js';
import { withLock } from './lock.js';
import { launchMongo, provisionMongo, waitForMongo } from './mongo.js';
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
  /** Something the operator must know (the database is an emulator). */
  warning?: string;
}

export interface InfraUpResult {
  settings: ConnectionSettings;
  services: ServiceStatus[];
  /** The services this call started (and so the caller may stop). */
  started: ServiceName[];
}

/** What the records say about a server: still ours and listening, or gone, leaving its address. */
interface RecordState {
  live?: ServiceRecord;
  /** The record of a server that died (a crash, a reboot): the address to come back on. */
  previous?: ServiceRecord;
}

async function inspectRecord(name: ServiceName): Promise<RecordState> {
  const record = readRecord(name);
  if (!record) return {};
  if (isRunning(record.daemon) && (await canConnect(record.host, record.port))) {
    return { live: record };
  }
  // Running but not listening: hung, or still starting after a crash of its starter.
  if (isRunning(record.daemon)) await stopDaemon(record.daemon);
  return { previous: record };
}

/** A running server is reused only if it is the kind `ORDERLY_MONGO_SERVER` asks for. */
function assertWantedServer(live: ServiceRecord, env: NodeJS.ProcessEnv): void {
  const wanted = env.ORDERLY_MONGO_SERVER?.trim();
  if (live.name !== 'mongo' || !wanted || !live.kind || live.kind === wanted) return;
  throw new Error(
    `ORDERLY_MONGO_SERVER=${wanted}, but ${live.kind} already runs (pid ${live.daemon.pid}, ${live.url}); stop it first: npm run infra:down`,
  );
}

/** The ports a server had: from its record, else from the settings file written last time. */
function previousPorts(
  name: ServiceName,
  state: RecordState,
  settingsFile: string,
): { port?: number; controllerPort?: number } {
  if (state.previous) {
    return {
      port: state.previous.port,
      ...(state.previous.controllerPort ? { controllerPort: state.previous.controllerPort } : {}),
    };
  }
  const written = readConnectionSettings(settingsFile)[SETTING_OF[name]] ?? '';
  const match = /^(?:mongodb:\/\/)?127\.0\.0\.1:(\d+)(?:[/?].*)?$/.exec(written);
  return match ? { port: Number(match[1]) } : {};
}

/**
 * Brings Kafka and the database server up on 127.0.0.1, installing them into the cache
 * first when needed. A setting already present in `env` (KAFKA_BROKERS, MONGODB_URI)
 * means that server is external and nothing is started for it; a server this project
 * started earlier and that still runs is reused. A server that died comes back on the
 * address it had, so running clients reconnect to it; only when something else holds that
 * port does it move, and then it says so. Idempotent.
 */
export interface InfraUpOptions {
  /** Where KAFKA_BROKERS / MONGODB_URI may already point at external servers. */
  env?: NodeJS.ProcessEnv;
  /** Where the chosen settings are written for other scripts. */
  settingsFile?: string;
}

export function infraUp(logger: Logger, options: InfraUpOptions = {}): Promise<InfraUpResult> {
  const env = options.env ?? process.env;
  const settingsFile = options.settingsFile ?? CONNECTION_ENV_FILE;
  return withLock(LOCK_FILE, async () => {
    const services: ServiceStatus[] = [];
    const toStart = new Map<ServiceName, RecordState>();
    for (const name of ['kafka', 'mongo'] as const) {
      const external = env[SETTING_OF[name]]?.trim();
      if (external) {
        services.push({ name, origin: 'external', server: 'external', url: external });
        continue;
      }
      const state = await inspectRecord(name);
      if (state.live) {
        assertWantedServer(state.live, env);
        services.push(statusOf(state.live, 'reused'));
      } else toStart.set(name, state);
    }

    const kafkaState = toStart.get('kafka');
    const mongoState = toStart.get('mongo');
    const [, mongoChoice] = await Promise.all([
      kafkaState ? installKafka(logger) : undefined,
      mongoState ? provisionMongo(logger, env) : undefined,
    ]);

    const taken = new Set<number>();
    const pick = async (name: ServiceName, what: string, preferred: number, had?: number) => {
      const port = await choosePort(HOST, had ?? preferred, taken);
      if (had !== undefined && port !== had) {
        logger.warn(
          `${name}: the ${what} port ${had} it had is taken by another process; starting on ${port} instead (clients of the old address must be given the new one)`,
        );
      }
      taken.add(port);
      return port;
    };
    const launched: { record: ServiceRecord; previous?: ServiceRecord }[] = [];
    if (kafkaState) {
      const had = previousPorts('kafka', kafkaState, settingsFile);
      const brokerPort = await pick('kafka', 'broker', 9092, had.port);
      const controllerPort = await pick('kafka', 'controller', 9093, had.controllerPort);
      launched.push({
        record: await launchKafka(logger, HOST, brokerPort, controllerPort),
        ...(kafkaState.previous ? { previous: kafkaState.previous } : {}),
      });
    }
    if (mongoState && mongoChoice) {
      const had = previousPorts('mongo', mongoState, settingsFile);
      const port = await pick('mongo', 'database', 27017, had.port);
      launched.push({
        record: launchMongo(logger, mongoChoice, HOST, port),
        ...(mongoState.previous ? { previous: mongoState.previous } : {}),
      });
    }
    for (const { record } of launched) saveRecord(record);

    const results = await Promise.allSettled(
      launched.map(({ record }) =>
        record.name === 'kafka' ? waitForKafka(record) : waitForMongo(logger, record),
      ),
    );
    const failure = results.find((result) => result.status === 'rejected');
    if (failure) {
      for (const { record, previous } of launched) {
        await stopDaemon(record.daemon);
        // The address it had stays recorded for the next attempt.
        if (previous) saveRecord(previous);
        else deleteRecord(record.name);
      }
      throw (failure as PromiseRejectedResult).reason;
    }
    for (const { record } of launched) {
      saveRecord(record); // now with the server's own description
      services.push(statusOf(record, 'started'));
      logger.info({ url: record.url, pid: record.daemon.pid }, `${record.server} is ready`);
    }

    services.sort((a, b) => a.name.localeCompare(b.name));
    // Every command that brings the servers up says it, whether it started them or reuses them.
    for (const service of services) {
      if (service.warning) logger.warn(`${service.name}: ${service.warning}`);
    }
    const settings = settingsOf(services);
    writeConnectionEnv(settings, settingsFile);
    return { settings, services, started: launched.map(({ record }) => record.name) };
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
    ...(record.warning ? { warning: record.warning } : {}),
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
