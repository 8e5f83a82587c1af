import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { Logger } from '../../shared/logger/logger.js';
import { runCommand } from './commands.js';
import { isRunning, startDaemon, tailFile } from './daemon.js';
import { installMavenLibs, javaCommand, pomProperty } from './maven.js';
import { canConnect, waitUntil } from './net.js';
import { INFRA_DIR, LOCALSTACK_DIR } from './paths.js';
import type { ServiceRecord } from './service-record.js';

const POM = join(LOCALSTACK_DIR, 'infra', 'servers', 'kafka', 'pom.xml');
const LOG4J_CONFIG = join(LOCALSTACK_DIR, 'infra', 'servers', 'kafka', 'log4j.properties');
const KAFKA_HOME = join(INFRA_DIR, 'kafka');

/** The Kafka version is declared once, in the pom that resolves it. */
export const KAFKA_VERSION = pomProperty(POM, 'kafka.version');

function libDir(): string {
  return join(INFRA_DIR, `kafka-${KAFKA_VERSION}`, 'libs');
}

/** Resolves the broker jars through Maven into the cache, once per Kafka version. */
export function installKafka(logger: Logger): Promise<void> {
  return installMavenLibs(logger, `Apache Kafka ${KAFKA_VERSION}`, POM, libDir());
}

function serverProperties(host: string, brokerPort: number, controllerPort: number): string {
  return [
    '# Written by localstack/infra/kafka.ts at each start; edit that file instead.',
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@${host}:${controllerPort}`,
    `listeners=PLAINTEXT://${host}:${brokerPort},CONTROLLER://${host}:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://${host}:${brokerPort}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${join(KAFKA_HOME, 'data')}`,
    'num.partitions=3',
    'default.replication.factor=1',
    'min.insync.replicas=1',
    // Topics are created explicitly by the code that owns them, as on MSK.
    'auto.create.topics.enable=false',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=5',
    'group.initial.rebalance.delay.ms=0',
    // The log cleaner (it compacts __consumer_offsets) takes its dedupe buffer from the heap,
    // 128 MB by default; 8 MB suits a local broker's few thousand offsets.
    'log.cleaner.dedupe.buffer.size=8388608',
    'num.network.threads=2',
    'num.io.threads=4',
    'log.retention.hours=24',
    '',
  ].join('\n');
}

/**
 * A KRaft cluster id: 16 random bytes in URL-safe base64, as Kafka's `Uuid.randomUuid()` makes
 * them, and like it never one that starts with `-`, which the storage tool would read as an
 * option (one id in 64 did, and the format failed).
 */
export function newClusterId(random: () => Buffer = () => randomBytes(16)): string {
  for (;;) {
    const id = random().toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** Formats the KRaft metadata log the first time only; later starts reuse the data. */
async function formatStorageOnce(java: string, configFile: string): Promise<void> {
  if (existsSync(join(KAFKA_HOME, 'data', 'meta.properties'))) return;
  const clusterId = newClusterId();
  await runCommand(java, [
    '-cp',
    `${libDir()}/*`,
    `-Dlog4j.configuration=file:${LOG4J_CONFIG}`,
    'kafka.tools.StorageTool',
    'format',
    '--cluster-id',
    clusterId,
    '--config',
    configFile,
  ]);
}

/** True once the broker answers metadata requests, not merely accepts TCP connections. */
async function brokerAnswers(brokers: string): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'orderly-infra-probe',
    brokers: [brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 2_000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Starts the broker in the background; `waitForKafka` tells when it serves. */
/**
 * The broker's JVM, sized for one developer's machine (the whole idle stack stays under
 * 600 MB, bench/results/memory.md): a heap that starts at 32 MB and may grow to 192 MB with
 * a small young generation (a local broker's live data is a few MB; the big default
 * allocation, the log cleaner's 128 MB dedupe buffer, is cut in server.properties), the
 * serial collector (no G1 regions or concurrent threads kept resident; its pauses are short
 * at this size), bounded metaspace and code cache, and only the C1 compiler (C2's arenas
 * and code cost about 20 MB resident; the broker's share of a checkout's CPU is small).
 * With -Xms256m/-Xmx512m and G1 it held about 380 MB idle.
 */
export const KAFKA_JVM_OPTIONS = [
  '-Xms32m',
  '-Xmx192m',
  '-Xmn24m',
  '-XX:+UseSerialGC',
  '-XX:MaxMetaspaceSize=96m',
  '-XX:ReservedCodeCacheSize=48m',
  '-XX:TieredStopAtLevel=1',
  '-Xss512k',
] as const;

export async function launchKafka(
  logger: Logger,
  host: string,
  brokerPort: number,
  controllerPort: number,
): Promise<ServiceRecord> {
  const java = javaCommand();
  mkdirSync(KAFKA_HOME, { recursive: true });
  const configFile = join(KAFKA_HOME, 'server.properties');
  writeFileSync(configFile, serverProperties(host, brokerPort, controllerPort));
  await formatStorageOnce(java, configFile);

  const brokers = `${host}:${brokerPort}`;
  logger.info({ brokers, version: KAFKA_VERSION }, 'starting Apache Kafka (KRaft)');
  const daemon = startDaemon({
    command: java,
    marker: 'kafka.Kafka',
    args: [
      ...KAFKA_JVM_OPTIONS,
      '-Djava.awt.headless=true',
      `-Dlog4j.configuration=file:${LOG4J_CONFIG}`,
      '-cp',
      `${libDir()}/*`,
      'kafka.Kafka',
      configFile,
    ],
    cwd: KAFKA_HOME,
    // Two malloc arenas instead of one per thread (glibc's default): the same work, less
    // memory kept resident by the broker's many threads.
    env: { ...process.env, MALLOC_ARENA_MAX: '2' },
    logFile: join(KAFKA_HOME, 'kafka.log'),
  });
  return {
    name: 'kafka',
    server: `Apache Kafka ${KAFKA_VERSION} (KRaft)`,
    host,
    port: brokerPort,
    url: brokers,
    controllerPort,
    daemon,
  };
}

/** Waits until the broker answers metadata requests; fails early if it exits. */
export async function waitForKafka(record: ServiceRecord, timeoutMs = 90_000): Promise<void> {
  await waitUntil(
    async () => (await canConnect(record.host, record.port)) && brokerAnswers(record.url),
    {
      what: `Kafka on ${record.url}`,
      timeoutMs,
      abortIf: () =>
        isRunning(record.daemon)
          ? undefined
          : `the broker exited; its log ends with:\n${tailFile(record.daemon.logFile)}`,
    },
  );
}
