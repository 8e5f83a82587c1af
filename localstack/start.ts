import { infraDown, infraUp } from './infra/infra.js';
import { CONNECTION_ENV_FILE } from './infra/paths.js';
import { startEmbeddedGateway } from './platform/embedded-gateway.js';
import { startWorkflowPlatform } from './platform/workflow-platform.js';
import { createToolLogger } from './tool-logger.js';

/**
 * `npm start`: provisions and starts the local platform, reports what runs and where, and
 * keeps running until Ctrl-C (SIGINT) or SIGTERM, when it stops what it started. Servers
 * that were already running (from `npm run infra:up`) are reused and left running.
 */
const logger = createToolLogger('start');

async function main(): Promise<void> {
  const infra = await infraUp(logger);
  for (const service of infra.services) {
    logger.info(`${service.name}: ${service.server} at ${service.url} (${service.origin})`);
  }
  logger.info(`connection settings: ${CONNECTION_ENV_FILE}`);
  for (const [key, value] of Object.entries(infra.settings)) logger.info(`  ${key}=${value}`);
  // Functions loaded from their own modules read the same settings from the environment.
  process.env.KAFKA_BROKERS ??= infra.settings.KAFKA_BROKERS;
  process.env.MONGODB_URI ??= infra.settings.MONGODB_URI;
  const platform = await startWorkflowPlatform({
    runtime: { nodeEnv: 'development', logLevel: 'info' },
    kafka: { brokers: infra.settings.KAFKA_BROKERS.split(','), clientId: 'orderly-local' },
    mongo: { uri: infra.settings.MONGODB_URI, dbName: process.env.MONGODB_DB ?? 'orderly' },
    logger: createToolLogger('platform'),
    topicPrefix: process.env.KAFKA_TOPIC_PREFIX ?? '',
    inventoryAddress: process.env.INVENTORY_GRPC_ADDR ?? '127.0.0.1:50051',
  });
  logger.info(`inventory gRPC: ${platform.inventoryAddress}`);
  logger.info(
    `Kafka-triggered functions (in process, via the event-source emulator): ${platform.consumerGroups
      .map((group) => group.groupId)
      .join(', ')}`,
  );
  logger.info('outbox relay and reservation expiry: running as loops');
  const admin = {
    email: process.env.ADMIN_EMAIL ?? 'admin@orderly.local',
    password: process.env.ADMIN_PASSWORD ?? 'orderly-admin-1',
  };
  const gateway = await startEmbeddedGateway({
    logger: createToolLogger('gateway'),
    mongo: { uri: infra.settings.MONGODB_URI, dbName: process.env.MONGODB_DB ?? 'orderly' },
    kafka: { brokers: infra.settings.KAFKA_BROKERS.split(','), clientId: 'orderly-local' },
    topics: platform.topics,
    inventoryAddress: platform.inventoryAddress,
    host: process.env.HOST ?? '127.0.0.1',
    port: Number(process.env.PORT ?? 4000),
    admin,
  }).catch(async (err: unknown) => {
    await platform.stop();
    throw err;
  });
  logger.info(
    `GraphQL: ${gateway.url}${gateway.graphiqlUrl ? ` (GraphiQL: ${gateway.graphiqlUrl})` : ''}`,
  );
  logger.info(
    `admin: ${admin.email} / ${process.env.ADMIN_PASSWORD ? '(ADMIN_PASSWORD)' : admin.password}`,
  );
  logger.info('Orderly is running; press Ctrl-C to stop');

  // Signal listeners alone do not keep Node's event loop alive; this timer does.
  const keepAlive = setInterval(() => undefined, 60_000);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(keepAlive);
  logger.info({ signal }, 'shutting down');
  await gateway.close();
  await platform.stop();

  if (infra.started.length > 0) await infraDown(logger, infra.started);
  logger.info('stopped');
}

main().catch((err: unknown) => {
  logger.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
