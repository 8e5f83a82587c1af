import { createCatalogEventsHandler } from '../../functions/catalog/handler.js';
import { createMediaHandler } from '../../functions/media/handler.js';
import {
  createMailDelivery,
  createNotificationsHandler,
  type MailDelivery,
} from '../../functions/notifications/handler.js';
import { createOrderSagaHandler } from '../../functions/order-saga/handler.js';
import type { OutboxRelay } from '../../functions/outbox-relay/handler.js';
import { createOutboxRelay } from '../../functions/outbox-relay/handler.js';
import {
  createOrderSweeps,
  type HoldReconciler,
  type OrderRepair,
  type ReservationExpiry,
} from '../../functions/reservation-expiry/handler.js';
import { type RunningInventory, startInventory } from '../../services/inventory/inventory-app.js';
import { abortableSleep } from '../../shared/async/abortable-sleep.js';
import {
  type KafkaConfig,
  loadConfig,
  type MongoConfig,
  type RuntimeConfig,
  readRuntimeConfig,
} from '../../shared/config/config.js';
import { type MailConfig, readMailConfig } from '../../shared/email/mail-config.js';
import { sesMailSender } from '../../shared/email/mail-sender.js';
import { EventTopics } from '../../shared/events/topics.js';
import { createInventoryClient } from '../../shared/grpc/inventory-client.js';
import { createKafka, ensureTopics } from '../../shared/kafka/kafka-client.js';
import type { KafkaFunctionHandler } from '../../shared/kafka-function/kafka-event-handler.js';
import type { Logger } from '../../shared/logger/logger.js';
import {
  type MediaStorageConfig,
  readMediaStorageConfig,
} from '../../shared/storage/media-storage-config.js';
import { connectWorkflowClients } from '../../shared/workflow-function/workflow-clients.js';
import { REPO_ROOT } from '../infra/paths.js';
import type { ErrorHandling } from '../kafka-event-source/event-source-mappings.js';
import {
  readEventSourceMappings,
  SERVERLESS_YML,
} from '../kafka-event-source/event-source-mappings.js';
import { InProcessInvoker, type Invoker, importHandlers } from '../kafka-event-source/invokers.js';
import { KafkaEventSourceEmulator } from '../kafka-event-source/kafka-event-source-emulator.js';

export interface WorkflowPlatformOptions {
  runtime: RuntimeConfig;
  kafka: KafkaConfig;
  mongo: MongoConfig;
  logger: Logger;
  topicPrefix?: string;
  /** host:port for the inventory gRPC server; port 0 picks a free one. */
  inventoryAddress?: string;
  /** host:port of an inventory service running elsewhere (a container): none is started. */
  externalInventory?: string;
  reservationTtlSeconds?: number;
  /** How long an order may stay PENDING before the repair sweep acts on it (s; default 300). */
  repairAfterSeconds?: number;
  /** Replaces the error-handling controls serverless.yml gives the event source mappings. */
  eventSourceErrorHandling?: Partial<ErrorHandling>;
  /** Pause of the relay and expiry loops when idle (ms). */
  backgroundIdleMs?: number;
  /** Invoke the functions some other way (serverless-offline); default: in this process. */
  invoker?: Invoker;
  /** Leave out the emulator (a test that drives the handlers itself). */
  withoutEmulator?: boolean;
  /** Leave out the relay and expiry loops (a test that runs them itself). */
  withoutBackgroundJobs?: boolean;
  /** The media bucket the media function stores resized pictures in (default: from the environment). */
  media?: MediaStorageConfig;
  /** How mail is sent: LocalStack's SES (default: from the environment). */
  mail?: MailConfig;
}

/** The event-driven half of Orderly, running in one process. */
export interface WorkflowPlatform {
  topics: EventTopics;
  /** The consumer group of every emulated event source mapping, with its topic. */
  consumerGroups: { groupId: string; topic: string }[];
  /** The inventory server this platform runs; undefined with an external one. */
  inventory: RunningInventory | undefined;
  inventoryAddress: string;
  handlers: Record<
    'order-saga' | 'notifications' | 'catalog-events' | 'media',
    KafkaFunctionHandler
  >;
  emulator: KafkaEventSourceEmulator | undefined;
  relay: OutboxRelay;
  expiry: ReservationExpiry;
  repair: OrderRepair;
  /** Ends the holds that final orders left (every minute here; a schedule on AWS). */
  holds: HoldReconciler | null;
  /** The mail sweep the background loop runs (a scheduled function on AWS). */
  mailSweep: MailDelivery;
  stop(): Promise<void>;
}

/**
 * Starts the topics, the inventory gRPC server, the Kafka-triggered functions behind the
 * event-source emulator, and the outbox relay and reservation-expiry loops, against the
 * given Kafka and database. Stops everything in reverse order.
 */
export async function startWorkflowPlatform(
  options: WorkflowPlatformOptions,
): Promise<WorkflowPlatform> {
  const { logger, runtime } = options;
  const topicPrefix = options.topicPrefix ?? '';
  const topics = new EventTopics(topicPrefix);
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const step of stops.reverse())
      await step().catch((err: unknown) => logger.warn({ err }, 'stop step failed'));
  };
  try {
    const kafka = createKafka(options.kafka, { logger });
    await ensureTopics(kafka, topics.specs());

    let inventory: RunningInventory | undefined;
    let inventoryAddress = options.externalInventory ?? '';
    if (!options.externalInventory) {
      const running = await startInventory(
        {
          runtime,
          mongo: options.mongo,
          kafka: options.kafka,
          grpcAddress: options.inventoryAddress ?? '127.0.0.1:0',
          stockTopic: topics.of('inventory'),
          stockTopicPartitions: 6,
          defaultTtlSeconds: 900,
          pendingTimeoutMs: 30_000,
          sweepIntervalMs: 1_000,
          shutdownDrainMs: 0,
          shutdownGraceMs: 2_000,
        },
        logger.child({ service: 'inventory' }),
      );
      inventory = running;
      stops.push(() => running.stop());
      inventoryAddress = `127.0.0.1:${running.port}`;
    }

    const events = { topicPrefix };
    const base = { runtime, mongo: options.mongo, events };
    const media =
      options.media ?? loadConfig((env) => readMediaStorageConfig(env, readRuntimeConfig(env)));
    const mail = options.mail ?? loadConfig((env) => readMailConfig(env, readRuntimeConfig(env)));
    const handlers = {
      'order-saga': createOrderSagaHandler(
        {
          ...base,
          kafka: { ...options.kafka, clientId: 'orderly-order-saga' },
          inventoryAddress,
          reservationTtlSeconds: options.reservationTtlSeconds ?? 900,
          payments: {
            provider: 'test',
            // A deployed image runs only with ALLOW_TEST_PAYMENTS=true (platform-config.ts).
            ...(options.runtime.nodeEnv === 'production' ? { testPaymentsDeployed: true } : {}),
          },
        },
        logger,
      ),
      notifications: createNotificationsHandler(
        { ...base, kafka: { ...options.kafka, clientId: 'orderly-notifications' }, mail },
        logger,
      ),
      'catalog-events': createCatalogEventsHandler(
        {
          ...base,
          kafka: { ...options.kafka, clientId: 'orderly-catalog-events' },
          inventoryAddress,
          media,
        },
        logger,
      ),
      media: createMediaHandler(
        { ...base, kafka: { ...options.kafka, clientId: 'orderly-media' }, media },
        logger,
      ),
    };
    stops.push(async () => {
      await Promise.allSettled(Object.values(handlers).map((handler) => handler.close()));
    });

    const mappings = readEventSourceMappings(SERVERLESS_YML).filter((mapping) => mapping.enabled);
    const consumerGroups = mappings.map((mapping) => ({
      groupId: `${topicPrefix}${mapping.consumerGroupId}`,
      topic: `${topicPrefix}${mapping.topic}`,
    }));
    let emulator: KafkaEventSourceEmulator | undefined;
    if (!options.withoutEmulator) {
      emulator = new KafkaEventSourceEmulator({
        kafka: createKafka({ ...options.kafka, clientId: 'orderly-event-source' }, { logger }),
        mappings,
        invoker:
          options.invoker ??
          new InProcessInvoker({
            // A function declared in serverless.yml that this file does not build itself is
            // imported from its handler module (it reads its configuration from the environment).
            ...(await importHandlers(
              REPO_ROOT,
              mappings.filter((mapping) => !(mapping.functionName in handlers)),
            )),
            ...handlers,
          }),
        logger,
        bootstrapServers: options.kafka.brokers.join(','),
        topicPrefix,
        ...(options.eventSourceErrorHandling
          ? { errorHandling: options.eventSourceErrorHandling }
          : {}),
      });
      const running = emulator;
      stops.push(() => running.stop());
      await emulator.start();
    }

    // The two background jobs share one database connection and one producer.
    const jobClients = await connectWorkflowClients(
      { ...base, kafka: { ...options.kafka, clientId: 'orderly-background-jobs' } },
      logger,
      { appName: 'orderly-background-jobs' },
    );
    stops.push(() => jobClients.close());
    const relay = createOutboxRelay(jobClients, logger);
    const repairInventory = createInventoryClient({ address: inventoryAddress });
    stops.push(async () => repairInventory.close());
    const { expiry, repair, holds } = createOrderSweeps(
      jobClients.mongo.db,
      jobClients.bus.publisher,
      repairInventory,
      logger,
      { repairAfterSeconds: options.repairAfterSeconds ?? 300 },
    );

    const sender = sesMailSender(mail);
    stops.push(async () => sender.close());
    const mailSweep = createMailDelivery(jobClients.mongo.db, sender, logger);

    const background = new AbortController();
    const idleMs = options.backgroundIdleMs ?? 250;
    const loops = options.withoutBackgroundJobs
      ? []
      : [
          relay.runUntil(background.signal, idleMs),
          runEvery(idleMs * 4, background.signal, () => expiry.runOnce(), logger),
          runEvery(idleMs * 4, background.signal, () => repair.runOnce(), logger),
          // Holds outlive their order only when its records were dead-lettered: a rare sweep.
          ...(holds ? [runEvery(60_000, background.signal, () => holds.runOnce(), logger)] : []),
          runEvery(idleMs * 4, background.signal, () => mailSweep.sweep(), logger),
        ];
    stops.push(async () => {
      background.abort();
      await Promise.allSettled(loops);
    });

    return {
      topics,
      consumerGroups,
      inventory,
      inventoryAddress,
      handlers,
      emulator,
      relay,
      expiry,
      repair,
      holds,
      mailSweep,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function runEvery(
  intervalMs: number,
  signal: AbortSignal,
  work: () => Promise<unknown>,
  logger: Logger,
): Promise<void> {
  while (!signal.aborted) {
    await work().catch((err: unknown) => logger.warn({ err }, 'background job failed'));
    await abortableSleep(intervalMs, signal);
  }
}
