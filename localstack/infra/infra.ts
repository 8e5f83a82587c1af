import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LOCAL_MAIL_FROM } from '../../shared/config/local-defaults.js';
import { verifyLocalSender } from '../../shared/email/mail-sender.js';
import type { Logger } from '../../shared/logger/logger.js';
import { readConnectionSettings } from './connection-settings.js';
import { isRunning, readJson, stopDaemon, writeJson } from './daemon.js';
import { installKafka, launchKafka, waitForKafka } from './kafka.js';
import {
  installLocalstack,
  LOCALSTACK_PORT,
  launchLocalstack,
  waitForLocalstack,
} from './localstack.js';
import { restoreObjects, saveObjects } from './localstack-snapshot.js';
import { withLock } from './lock.js';
import { launchMongo, provisionMongo, waitForMongo } from './mongo.js';
import { canConnect, choosePort } from './net.js';
import { CONNECTION_ENV_FILE, INFRA_DIR } from './paths.js';
import {
  deleteRecord,
  readRecord,
  SERVICE_NAMES,
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
  /** LocalStack: where the AWS SDK clients (S3, SES) send their requests. */
  AWS_ENDPOINT_URL: string;
}

const SETTING_OF: Record<ServiceName, keyof ConnectionSettings> = {
  kafka: 'KAFKA_BROKERS',
  mongo: 'MONGODB_URI',
  localstack: 'AWS_ENDPOINT_URL',
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

/** The port of a loopback address this project writes (`127.0.0.1:9092`, `mongodb://…`, `http://…`). */
function loopbackPort(address: string): number | undefined {
  const match = /^(?:[a-z]+:\/\/)?127\.0\.0\.1:(\d+)(?:[/?].*)?$/.exec(address);
  return match ? Number(match[1]) : undefined;
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
  const port = loopbackPort(readConnectionSettings(settingsFile)[SETTING_OF[name]] ?? '');
  return port !== undefined ? { port } : {};
}

/** The addresses this project's servers had, kept when they stop (infra:down deletes records). */
const MANAGED_ADDRESSES = join(INFRA_DIR, 'managed-addresses.json');

/**
 * Whether an address given in the environment is one this project manages: the address of
 * its record (running or not) or one a server of this project had. A shell that exported
 * infra:up's settings (`eval "$(npm run -s infra:up)"`) names managed servers, not external
 * ones, and a managed server that died must be started again there.
 */
function isManagedAddress(name: ServiceName, address: string): boolean {
  const known = readJson<Partial<Record<ServiceName, string[]>>>(MANAGED_ADDRESSES) ?? {};
  return readRecord(name)?.url === address || (known[name] ?? []).includes(address);
}

function rememberManagedAddress(name: ServiceName, address: string): void {
  const known = readJson<Partial<Record<ServiceName, string[]>>>(MANAGED_ADDRESSES) ?? {};
  if ((known[name] ?? []).includes(address)) return;
  known[name] = [...(known[name] ?? []), address].slice(-5);
  writeJson(MANAGED_ADDRESSES, known);
}

/** The setting of `name` in `env` when it names a server this project does not manage. */
function externalAddress(name: ServiceName, env: NodeJS.ProcessEnv): string | undefined {
  const address = env[SETTING_OF[name]]?.trim();
  if (!address) return undefined;
  return isManagedAddress(name, address) ? undefined : address;
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
    for (const name of SERVICE_NAMES) {
      const setting = SETTING_OF[name];
      const external = externalAddress(name, env);
      if (external) {
        services.push({ name, origin: 'external', server: 'external', url: external });
        continue;
      }
      if (env[setting]?.trim()) {
        logger.info(
          `${name}: ${setting}=${env[setting]?.trim()} is the address infra:up manages; it is checked and started there if it is down`,
        );
      }
      const state = await inspectRecord(name);
      if (state.live) {
        assertWantedServer(state.live, env);
        services.push(statusOf(state.live, 'reused'));
      } else toStart.set(name, state);
    }

    const kafkaState = toStart.get('kafka');
    const mongoState = toStart.get('mongo');
    const localstackState = toStart.get('localstack');
    const [, mongoChoice] = await Promise.all([
      kafkaState ? installKafka(logger) : undefined,
      mongoState ? provisionMongo(logger, env) : undefined,
      localstackState ? installLocalstack(logger) : undefined,
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
    if (localstackState) {
      const had = previousPorts('localstack', localstackState, settingsFile);
      const port = await pick('localstack', 'gateway', LOCALSTACK_PORT, had.port);
      launched.push({
        record: launchLocalstack(logger, HOST, port),
        ...(localstackState.previous ? { previous: localstackState.previous } : {}),
      });
    }
    for (const { record } of launched) saveRecord(record);

    const ready = (record: ServiceRecord) => {
      if (record.name === 'kafka') return waitForKafka(record);
      if (record.name === 'mongo') return waitForMongo(logger, record);
      // LocalStack keeps objects in memory only: what it held when it was last stopped comes back.
      // Its SES, like SES's sandbox, sends only from verified senders: the local one is.
      return waitForLocalstack(record)
        .then(() => restoreObjects(logger, record.url))
        .then(() =>
          verifyLocalSender({ endpoint: record.url, region: 'us-east-1', from: LOCAL_MAIL_FROM }),
        );
    };
    const results = await Promise.allSettled(launched.map(({ record }) => ready(record)));
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
    for (const service of services) {
      if (service.origin !== 'external') rememberManagedAddress(service.name, service.url);
    }
    writeConnectionEnv(settings, settingsFile);
    return { settings, services, started: launched.map(({ record }) => record.name) };
  });
}

/** Stops the servers this project started (all, or the named ones), by their records. */
export function infraDown(
  logger: Logger,
  names: readonly ServiceName[] = SERVICE_NAMES,
): Promise<void> {
  return withLock(LOCK_FILE, async () => {
    await Promise.all(
      names.map(async (name) => {
        const record = readRecord(name);
        if (!record) return;
        // What LocalStack holds is kept on disk for its next start (it has no persistence).
        if (name === 'localstack' && isRunning(record.daemon)) {
          await saveObjects(logger, record.url).catch((err: unknown) =>
            logger.warn({ err }, 'LocalStack: its objects could not be saved before it stops'),
          );
        }
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
  for (const name of SERVICE_NAMES) {
    const external = externalAddress(name, env);
    const record = readRecord(name);
    if (external) {
      const [host = '', port = ''] = (external.split(',')[0] ?? '')
        .replace(/^[a-z]+:\/\//, '')
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
  return {
    KAFKA_BROKERS: url('kafka'),
    MONGODB_URI: url('mongo'),
    AWS_ENDPOINT_URL: url('localstack'),
  };
}

/** Writes the settings where other scripts and shells read them (`set -a; . FILE`). */
function writeConnectionEnv(settings: ConnectionSettings, file: string): void {
  const lines = Object.entries(settings).map(([key, value]) => `${key}=${value}`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${lines.join('\n')}\n`);
}
