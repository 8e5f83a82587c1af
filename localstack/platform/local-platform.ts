import { join } from 'node:path';
import { migrateDatabase } from '../../functions/migrate/handler.js';
import { FUNCTION_NAMES, type FunctionName } from '../../gateway/invokers/function-invoker.js';
import { HttpInvoker } from '../../gateway/invokers/http-invoker.js';
import { loadConfig, type RuntimeConfig, readKafkaConfig } from '../../shared/config/config.js';
import { readWorkflowTimings } from '../../shared/config/workflow-timings.js';
import { LambdaInvokeClient } from '../../shared/lambda/lambda-invoke-client.js';
import type { Logger } from '../../shared/logger/logger.js';
import { telemetryReady } from '../../shared/telemetry/telemetry.js';
import { readTelemetryConfig } from '../../shared/telemetry/telemetry-config.js';
import { startTracing } from '../../shared/telemetry/tracing.js';
import { infraDown, infraUp } from '../infra/infra.js';
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
import { type ComponentRow, describeComponents } from './platform-components.js';
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
  admin: { email: string; password: string };
  seed: SeedResult;
  /** What runs where, for the table printed at start. */
  components: ComponentRow[];
  /** The serverless offline endpoints, in offline mode. */
  offline: Pick<RunningServerlessOffline, 'httpUrl' | 'lambdaUrl' | 'functionName'> | undefined;
  /** Zipkin's web UI, when tracing is on (ORDERLY_TRACING=zipkin). */
  traceViewerUrl: string | undefined;
  stop(): Promise<void>;
}

const LOCAL_ADMIN = { email: 'admin@orderly.local', password: 'orderly-admin-1' };
const STAGE = 'local';
const RUNTIME: RuntimeConfig = { nodeEnv: 'development', logLevel: 'info' };
const HOST = '127.0.0.1';

/**
 * Brings up the whole platform on this machine: infrastructure (started, reused or the
 * configured servers), topics, the inventory gRPC server, the Kafka-triggered functions
 * behind the event-source emulator, the outbox relay and reservation-expiry loops, the HTTP
 * functions and the GraphQL gateway; then seeds the demo catalog. Stops in reverse order,
 * including the servers it started itself; servers it reused or was given are left running.
 */
export async function startLocalPlatform(options: LocalPlatformOptions): Promise<LocalPlatform> {
  const env = options.env ?? process.env;
  const logger = options.loggerFor('start');
  const steps = options.mode === 'offline' ? 6 : 5;
  let step = 0;
  const progress = (what: string) => logger.info(`[${++step}/${steps}] ${what}`);
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const stopStep of stops.reverse())
      await stopStep().catch((err: unknown) => logger.warn({ err }, 'stop step failed'));
  };

  // A busy gateway port is found before anything starts, not after a minute of start-up.
  const host = env.HOST ?? HOST;
  const port = Number(env.PORT ?? 4000);
  if (port !== 0 && (await choosePort(host, port)) !== port) {
    throw new Error(`${host}:${port} is already in use: stop what listens there, or set PORT`);
  }

  try {
    // Opt-in (ORDERLY_TRACING=zipkin): a local trace viewer, and every span of this process
    // (and of serverless offline's functions) sent to it.
    const tracing =
      env.ORDERLY_TRACING === 'zipkin' ? await startTraceViewer(options, env) : undefined;
    if (tracing) stops.push(() => tracing.zipkin.stop());
    const functionEnv = tracing?.env ?? {};
    // Metrics for the gateway's /metrics (and tracing, when it was not turned on above).
    await telemetryReady();
    progress('infrastructure: Kafka and MongoDB');
    const infra = await infraUp(options.loggerFor('infra'), { env });
    if (infra.started.length > 0) stops.push(() => infraDown(logger, infra.started));
    // TLS and SASL settings apply when KAFKA_BROKERS names a managed cluster.
    const kafka = loadConfig((reader) => readKafkaConfig(reader, RUNTIME, 'orderly-local'), {
      ...env,
      KAFKA_BROKERS: infra.settings.KAFKA_BROKERS,
    });
    const mongo = { uri: infra.settings.MONGODB_URI, dbName: env.MONGODB_DB ?? 'orderly' };
    // What `serverless deploy` does through the migrate function: the indexes, before any
    // function serves (the functions no longer make them on a cold start).
    progress('database: indexes (npm run migrate)');
    await migrateDatabase(mongo, options.loggerFor('migrate'));
    const topicPrefix = env.KAFKA_TOPIC_PREFIX ?? '';
    const admin = {
      email: env.ADMIN_EMAIL || LOCAL_ADMIN.email,
      password: env.ADMIN_PASSWORD || LOCAL_ADMIN.password,
    };
    // INVENTORY_ADDR names an inventory service running elsewhere (the container); without
    // it the platform runs one on INVENTORY_GRPC_ADDR (default 127.0.0.1:50051, or a free port).
    const externalInventory = env.INVENTORY_ADDR?.trim() || undefined;
    const inventoryAddress =
      externalInventory ?? env.INVENTORY_GRPC_ADDR ?? `${HOST}:${await choosePort(HOST, 50051)}`;

    let offline: RunningServerlessOffline | undefined;
    if (options.mode === 'offline') {
      progress('serverless offline: the functions from serverless.yml (stage local)');
      const httpPort = await choosePort(HOST, Number(env.OFFLINE_HTTP_PORT ?? 3000));
      const lambdaPort = await choosePort(
        HOST,
        Number(env.OFFLINE_LAMBDA_PORT ?? 3002),
        new Set([httpPort]),
      );
      const started = await startServerlessOffline({
        logger: options.loggerFor('offline'),
        stage: STAGE,
        ...(options.onFunctionOutput ? { onLine: options.onFunctionOutput } : {}),
        httpPort,
        lambdaPort,
        env: {
          ...env,
          KAFKA_BROKERS: infra.settings.KAFKA_BROKERS,
          MONGODB_URI: mongo.uri,
          MONGODB_DB: mongo.dbName,
          KAFKA_TOPIC_PREFIX: topicPrefix,
          INVENTORY_ADDR: inventoryAddress,
          INVENTORY_PROTO_PATH: join(REPO_ROOT, 'protos', 'inventory.proto'),
          ADMIN_EMAIL: admin.email,
          ADMIN_PASSWORD: admin.password,
          LOG_LEVEL: env.LOG_LEVEL ?? 'info',
          ...functionEnv,
        },
      });
      offline = started;
      stops.push(() => started.stop());
    }

    progress('topics, inventory gRPC server, event-source emulator, outbox relay');
    // The workflow's timings, read as the deployed functions read them.
    const timings = loadConfig(readWorkflowTimings, env);
    const platform: WorkflowPlatform = await startWorkflowPlatform({
      runtime: RUNTIME,
      kafka,
      mongo,
      ...timings,
      logger: options.loggerFor('platform'),
      topicPrefix,
      inventoryAddress,
      ...(externalInventory ? { externalInventory } : {}),
      ...(offline
        ? {
            invoker: new LambdaInvokeApiInvoker(
              new LambdaInvokeClient({ endpoint: offline.lambdaUrl }),
              offline.functionName,
            ),
          }
        : {}),
    });
    stops.push(() => platform.stop());

    progress('GraphQL gateway and the HTTP functions');
    const gatewayOptions = {
      logger: options.loggerFor('gateway'),
      kafka,
      topics: platform.topics,
      inventoryAddress,
      host,
      port,
    };
    const offlineUrl = offline?.httpUrl;
    const gateway: LocalGateway = offlineUrl
      ? await startLocalGateway({
          ...gatewayOptions,
          invoker: new HttpInvoker(
            Object.fromEntries(FUNCTION_NAMES.map((fn) => [fn, offlineUrl])) as Record<
              FunctionName,
              string
            >,
          ),
        })
      : await startEmbeddedGateway({ ...gatewayOptions, mongo, admin });
    stops.push(() => gateway.close());

    progress(`demo catalog: ${DEMO_CATALOG.length} products`);
    const seed = await seedDemoCatalog(gateway.url, admin, logger);

    progress('ready');
    const components = describeComponents({
      gateway,
      offline,
      kafkaFunctions: [
        ...new Set(readEventSourceMappings(SERVERLESS_YML).map((mapping) => mapping.functionName)),
      ],
      consumerGroups: platform.consumerGroups.length,
      inventoryAddress,
      externalInventory: externalInventory !== undefined,
      servers: infra.services,
      topics: platform.topics,
      admin: {
        ...admin,
        fromEnv: Boolean(env.ADMIN_EMAIL),
        passwordFromEnv: Boolean(env.ADMIN_PASSWORD),
      },
      seed,
      traceViewerUrl: tracing?.zipkin.uiUrl,
    });
    return {
      mode: options.mode,
      graphqlUrl: gateway.url,
      storefrontUrl: gateway.storefrontUrl,
      graphiqlUrl: gateway.graphiqlUrl,
      admin,
      seed,
      components,
      offline,
      traceViewerUrl: tracing?.zipkin.uiUrl,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Starts (or reuses) Zipkin and turns tracing on in this process, before any component takes
 * a tracer. Returns the variables that turn it on in other processes too.
 */
async function startTraceViewer(
  options: LocalPlatformOptions,
  env: NodeJS.ProcessEnv,
): Promise<{ zipkin: RunningZipkin; env: Record<string, string> }> {
  options.loggerFor('start').info('trace viewer: Zipkin (ORDERLY_TRACING=zipkin)');
  const zipkin = await zipkinUp(options.loggerFor('zipkin'));
  const tracingEnv = {
    OTEL_TRACES_EXPORTER: 'zipkin',
    OTEL_EXPORTER_ZIPKIN_ENDPOINT: zipkin.spansUrl,
  };
  await startTracing(loadConfig(readTelemetryConfig, { ...env, ...tracingEnv }));
  return { zipkin, env: tracingEnv };
}
