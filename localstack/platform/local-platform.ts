import { join } from 'node:path';
import { migrateDatabase } from '../../functions/migrate/handler.js';
import { FUNCTION_NAMES, type FunctionName } from '../../gateway/invokers/function-invoker.js';
import { HttpInvoker } from '../../gateway/invokers/http-invoker.js';
import {
  type KafkaConfig,
  loadConfig,
  type MongoConfig,
  readKafkaConfig,
} from '../../shared/config/config.js';
import { type MailConfig, readMailConfig } from '../../shared/email/mail-config.js';
import { verifyLocalSender } from '../../shared/email/mail-sender.js';
import { LambdaInvokeClient } from '../../shared/lambda/lambda-invoke-client.js';
import type { Logger } from '../../shared/logger/logger.js';
import type { MediaStorageConfig } from '../../shared/storage/media-storage-config.js';
import { telemetryReady } from '../../shared/telemetry/telemetry.js';
import { readTelemetryConfig } from '../../shared/telemetry/telemetry-config.js';
import { startTracing } from '../../shared/telemetry/tracing.js';
import { type InfraUpResult, infraDown, infraUp } from '../infra/infra.js';
import { choosePort } from '../infra/net.js';
import { REPO_ROOT } from '../infra/paths.js';
import { type RunningZipkin, zipkinUp } from '../infra/zipkin.js';
import {
  readEventSourceMappings,
  SERVERLESS_YML,
} from '../kafka-event-source/event-source-mappings.js';
import { LambdaInvokeApiInvoker } from '../kafka-event-source/invokers.js';
import { DEMO_CATALOG, type SeedResult, seedDemoCatalog } from './demo-catalog.js';
import { type LocalGateway, startEmbeddedGateway, startLocalGateway } from './local-gateway.js';
import { ensureMediaBucket } from './media-bucket.js';
import { type ComponentRow, describeComponents } from './platform-components.js';
import { type LocalPlatformConfig, readLocalPlatformConfig } from './platform-config.js';
import {
  type RunningServerlessOffline,
  startServerlessOffline,
} from './serverless-offline-process.js';
import { startWorkflowPlatform, type WorkflowPlatform } from './workflow-platform.js';

/**
 * `embedded`: every function in this process (the default of `npm start`).
 * `offline`: the functions under `serverless offline`, the Kafka-triggered ones invoked by
 * the emulator through its Lambda Invoke API (`npm run offline`).
 */
export type PlatformMode = 'embedded' | 'offline';

export interface LocalPlatformOptions {
  mode: PlatformMode;
  /** Where settings are read from (PORT, HOST, ADMIN_EMAIL, KAFKA_BROKERS, ...). */
  env?: NodeJS.ProcessEnv;
  /** A logger for each part, by name. */
  loggerFor: (name: string) => Logger;
  /** Offline mode: receives each line serverless offline prints (the functions' logs). */
  onFunctionOutput?: (line: string) => void;
}

export interface LocalPlatform {
  mode: PlatformMode;
  graphqlUrl: string;
  /** The shop and admin web app. */
  storefrontUrl: string;
  graphiqlUrl: string | undefined;
  /** The mail inbox (LocalStack's SES). */
  inboxUrl: string | undefined;
  admin: { email: string; password: string };
  /** The demo catalog's seeding; undefined when SEED_DEMO_CATALOG=false. */
  seed: SeedResult | undefined;
  /** What runs where, for the table printed at start. */
  components: ComponentRow[];
  /** The serverless offline endpoints, in offline mode. */
  offline: Pick<RunningServerlessOffline, 'httpUrl' | 'lambdaUrl' | 'functionName'> | undefined;
  /** Zipkin's web UI, when tracing is on (ORDERLY_TRACING=zipkin). */
  traceViewerUrl: string | undefined;
  stop(): Promise<void>;
}

const STAGE = 'local';
const LOOPBACK = '127.0.0.1';
/** API Gateway's own limit for an HTTP API integration. */
const OFFLINE_CALL_TIMEOUT_MS = 30_000;

/** What the components of a start share: each fills in what it brings up. */
interface StartContext {
  options: LocalPlatformOptions;
  config: LocalPlatformConfig;
  env: NodeJS.ProcessEnv;
  /** Variables that turn tracing on in other processes (serverless offline's functions). */
  tracingEnv: Record<string, string>;
  zipkin?: RunningZipkin;
  infra?: InfraUpResult;
  kafka?: KafkaConfig;
  mongo?: MongoConfig;
  media?: MediaStorageConfig;
  mail?: MailConfig;
  inventoryAddress?: string;
  offline?: RunningServerlessOffline;
  workflow?: WorkflowPlatform;
  gateway?: LocalGateway;
  seed?: SeedResult;
}

/** One part of the platform: started in table order, stopped in reverse. */
interface PlatformComponent {
  /** The progress line. */
  step: (ctx: StartContext) => string;
  /** Whether this start runs it (default: always). */
  when?: (ctx: StartContext) => boolean;
  /** Starts it; returns how to stop it, when there is anything to stop. */
  start: (ctx: StartContext) => Promise<(() => Promise<unknown>) | undefined>;
}

/** A context's value that an earlier component must have set. */
function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`local platform: ${what} is not started yet`);
  return value;
}

/**
 * The local platform, in start order: infrastructure (started, reused or the configured
 * servers), indexes, the media bucket, serverless offline (offline mode), topics and
 * inventory with the Kafka-triggered functions behind the event-source emulator, the outbox
 * relay and the sweeps, the HTTP functions and the GraphQL gateway, then the demo catalog.
 */
const COMPONENTS: readonly PlatformComponent[] = [
  {
    step: () => 'trace viewer: Zipkin (ORDERLY_TRACING=zipkin)',
    when: (ctx) => ctx.config.tracing === 'zipkin',
    async start(ctx) {
      const zipkin = await zipkinUp(ctx.options.loggerFor('zipkin'));
      ctx.zipkin = zipkin;
      ctx.tracingEnv = {
        OTEL_TRACES_EXPORTER: 'zipkin',
        OTEL_EXPORTER_ZIPKIN_ENDPOINT: zipkin.spansUrl,
      };
      // Every span of this process (and of serverless offline's functions) goes to it.
      await startTracing(loadConfig(readTelemetryConfig, { ...ctx.env, ...ctx.tracingEnv }));
      return () => zipkin.stop();
    },
  },
  {
    step: () => 'infrastructure: Kafka, MongoDB and LocalStack (S3, SES)',
    async start(ctx) {
      // Metrics for the gateway's /metrics (and tracing, when it was not turned on above).
      await telemetryReady();
      const logger = ctx.options.loggerFor('infra');
      const infra = await infraUp(logger, { env: ctx.env });
      ctx.infra = infra;
      // TLS and SASL settings apply when KAFKA_BROKERS names a managed cluster.
      ctx.kafka = loadConfig(
        (reader) => readKafkaConfig(reader, ctx.config.runtime, 'orderly-local'),
        {
          ...ctx.env,
          KAFKA_BROKERS: infra.settings.KAFKA_BROKERS,
        },
      );
      ctx.mongo = { uri: infra.settings.MONGODB_URI, dbName: ctx.config.dbName };
      const endpoint = infra.settings.AWS_ENDPOINT_URL;
      ctx.media = {
        bucket: ctx.config.mediaBucket,
        region: 'us-east-1',
        endpoint,
        publicBaseUrl: `${endpoint}/${ctx.config.mediaBucket}`,
      };
      ctx.mail = loadConfig((reader) => readMailConfig(reader, ctx.config.runtime), {
        ...ctx.env,
        AWS_ENDPOINT_URL: endpoint,
      });
      return infra.started.length > 0 ? () => infraDown(logger, infra.started) : undefined;
    },
  },
  {
    // What `serverless deploy` does through the migrate function: the data migrations and
    // the indexes, before any function serves.
    step: () => 'database: migrations and indexes (npm run migrate)',
    async start(ctx) {
      await migrateDatabase(need(ctx.mongo, 'the database'), ctx.options.loggerFor('migrate'));
      return undefined;
    },
  },
  {
    // What CloudFormation makes on AWS: the bucket pictures are uploaded to and served from;
    // and what the operator does once in SES: the shop's sender, verified.
    step: (ctx) =>
      `object storage and mail: the ${ctx.config.mediaBucket} bucket and the sender in LocalStack`,
    async start(ctx) {
      const media = need(ctx.media, 'object storage');
      await ensureMediaBucket(need(media.endpoint, 'LocalStack'), media.bucket);
      await verifyLocalSender(need(ctx.mail, 'mail'));
      return undefined;
    },
  },
  {
    step: () => 'serverless offline: the functions from serverless.yml (stage local)',
    when: (ctx) => ctx.options.mode === 'offline',
    async start(ctx) {
      const { config } = ctx;
      const httpPort = await choosePort(LOOPBACK, config.offlinePorts.http);
      const lambdaPort = await choosePort(
        LOOPBACK,
        config.offlinePorts.lambda,
        new Set([httpPort]),
      );
      const mongo = need(ctx.mongo, 'the database');
      const media = need(ctx.media, 'object storage');
      const offline = await startServerlessOffline({
        logger: ctx.options.loggerFor('offline'),
        stage: STAGE,
        ...(ctx.options.onFunctionOutput ? { onLine: ctx.options.onFunctionOutput } : {}),
        httpPort,
        lambdaPort,
        env: {
          ...ctx.env,
          KAFKA_BROKERS: need(ctx.infra, 'infrastructure').settings.KAFKA_BROKERS,
          MONGODB_URI: mongo.uri,
          MONGODB_DB: mongo.dbName,
          KAFKA_TOPIC_PREFIX: config.topicPrefix,
          INVENTORY_ADDR: need(ctx.inventoryAddress, 'the inventory address'),
          INVENTORY_PROTO_PATH: join(REPO_ROOT, 'protos', 'inventory.proto'),
          ADMIN_EMAIL: config.admin.email,
          ADMIN_PASSWORD: config.admin.password,
          LOG_LEVEL: config.logLevel,
          AWS_ENDPOINT_URL: media.endpoint ?? '',
          MEDIA_BUCKET: media.bucket,
          MEDIA_BASE_URL: media.publicBaseUrl,
          ...ctx.tracingEnv,
        },
      });
      ctx.offline = offline;
      return () => offline.stop();
    },
  },
  {
    step: () => 'topics, inventory gRPC server, event-source emulator, outbox relay',
    async start(ctx) {
      const { config } = ctx;
      const offline = ctx.offline;
      const workflow = await startWorkflowPlatform({
        runtime: { ...config.runtime, logLevel: 'info' },
        kafka: need(ctx.kafka, 'Kafka'),
        mongo: need(ctx.mongo, 'the database'),
        ...config.timings,
        logger: ctx.options.loggerFor('platform'),
        topicPrefix: config.topicPrefix,
        inventoryAddress: need(ctx.inventoryAddress, 'the inventory address'),
        ...(config.externalInventory ? { externalInventory: config.externalInventory } : {}),
        media: need(ctx.media, 'object storage'),
        mail: need(ctx.mail, 'mail'),
        ...(offline
          ? {
              invoker: new LambdaInvokeApiInvoker(
                new LambdaInvokeClient({ endpoint: offline.lambdaUrl }),
                offline.functionName,
              ),
            }
          : {}),
      });
      ctx.workflow = workflow;
      return () => workflow.stop();
    },
  },
  {
    step: () => 'GraphQL gateway and the HTTP functions',
    async start(ctx) {
      const workflow = need(ctx.workflow, 'the workflow');
      const common = {
        logger: ctx.options.loggerFor('gateway'),
        kafka: need(ctx.kafka, 'Kafka'),
        topics: workflow.topics,
        inventoryAddress: need(ctx.inventoryAddress, 'the inventory address'),
        host: ctx.config.host,
        port: ctx.config.port,
        media: need(ctx.media, 'object storage'),
        env: ctx.env,
        ...(ctx.mail?.sentMailRecordUrl ? { sentMailRecordUrl: ctx.mail.sentMailRecordUrl } : {}),
      };
      const offlineUrl = ctx.offline?.httpUrl;
      const gateway = offlineUrl
        ? await startLocalGateway({
            ...common,
            invoker: new HttpInvoker(
              Object.fromEntries(FUNCTION_NAMES.map((fn) => [fn, offlineUrl])) as Record<
                FunctionName,
                string
              >,
              // A function's first call under serverless offline starts its worker and loads
              // its bundle: on a busy two-core machine that took over the 10 s AWS default.
              OFFLINE_CALL_TIMEOUT_MS,
            ),
          })
        : await startEmbeddedGateway({
            ...common,
            mongo: need(ctx.mongo, 'the database'),
            admin: ctx.config.admin,
            shop: {
              name: need(ctx.mail, 'mail').shopName,
              // The storefront this start serves, unless SHOP_URL names another.
              url: ctx.env.SHOP_URL?.trim() || `http://${ctx.config.host}:${ctx.config.port}`,
            },
          });
      ctx.gateway = gateway;
      return () => gateway.close();
    },
  },
  {
    step: () => `demo catalog: ${DEMO_CATALOG.length} products`,
    when: (ctx) => ctx.config.seedDemoCatalog,
    async start(ctx) {
      const gateway = need(ctx.gateway, 'the gateway');
      ctx.seed = await seedDemoCatalog(
        gateway.url,
        ctx.config.admin,
        ctx.options.loggerFor('start'),
      );
      return undefined;
    },
  },
];

/**
 * Brings up the whole platform on this machine from the component table above, and stops it
 * in reverse order, including the servers it started itself; servers it reused or was given
 * are left running.
 */
export async function startLocalPlatform(options: LocalPlatformOptions): Promise<LocalPlatform> {
  const env = options.env ?? process.env;
  const logger = options.loggerFor('start');
  const config = loadConfig(readLocalPlatformConfig, env);
  const ctx: StartContext = { options, config, env, tracingEnv: {} };
  const components = COMPONENTS.filter((component) => component.when?.(ctx) ?? true);
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const stopOne of stops.reverse())
      await stopOne().catch((err: unknown) => logger.warn({ err }, 'stop step failed'));
  };

  // A busy gateway port is found before anything starts, not after a minute of start-up.
  if (config.port !== 0 && (await choosePort(config.host, config.port)) !== config.port) {
    throw new Error(
      `${config.host}:${config.port} is already in use: stop what listens there, or set PORT`,
    );
  }
  // INVENTORY_ADDR names an inventory service running elsewhere (the container); without it
  // the platform runs one on INVENTORY_GRPC_ADDR (default 127.0.0.1:50051, or a free port).
  ctx.inventoryAddress =
    config.externalInventory ??
    config.inventoryGrpcAddress ??
    `${LOOPBACK}:${await choosePort(LOOPBACK, 50051)}`;

  try {
    for (const [i, component] of components.entries()) {
      logger.info(`[${i + 1}/${components.length + 1}] ${component.step(ctx)}`);
      const stopIt = await component.start(ctx);
      if (stopIt) stops.push(stopIt);
    }
    logger.info(`[${components.length + 1}/${components.length + 1}] ready`);
    const gateway = need(ctx.gateway, 'the gateway');
    const seed = ctx.seed;
    const infra = need(ctx.infra, 'infrastructure');
    const workflow = need(ctx.workflow, 'the workflow');
    return {
      mode: options.mode,
      graphqlUrl: gateway.url,
      storefrontUrl: gateway.storefrontUrl,
      graphiqlUrl: gateway.graphiqlUrl,
      inboxUrl: gateway.inboxUrl,
      admin: { email: config.admin.email, password: config.admin.password },
      seed,
      components: describeComponents({
        gateway,
        offline: ctx.offline,
        kafkaFunctions: [
          ...new Set(
            readEventSourceMappings(SERVERLESS_YML).map((mapping) => mapping.functionName),
          ),
        ],
        consumerGroups: workflow.consumerGroups.length,
        inventoryAddress: need(ctx.inventoryAddress, 'the inventory address'),
        externalInventory: config.externalInventory !== undefined,
        servers: infra.services,
        topics: workflow.topics,
        admin: {
          email: config.admin.email,
          password: config.admin.password,
          fromEnv: config.admin.emailFromEnv,
          passwordFromEnv: config.admin.passwordFromEnv,
        },
        media: need(ctx.media, 'object storage'),
        seed,
        traceViewerUrl: ctx.zipkin?.uiUrl,
      }),
      offline: ctx.offline,
      traceViewerUrl: ctx.zipkin?.uiUrl,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
