import { loadConfig, readKafkaConfig } from '../shared/config/config.js';
import { readEventsConfig } from '../shared/events/event-bus.js';
import { EventTopics } from '../shared/events/topics.js';
import { createInventoryClient } from '../shared/grpc/inventory-client.js';
import { createLogger } from '../shared/logger/logger.js';
import { shutdownTelemetry, telemetryReady } from '../shared/telemetry/telemetry.js';
import { readGatewayConfig } from './config.js';
import { createRemoteInvoker } from './invokers/remote-invoker.js';
import { startGatewayServer } from './server.js';

/**
 * The gateway as a long-lived process (a container, or `npm run gateway`): functions reached
 * over HTTP or the Lambda Invoke API, subscriptions fed from Kafka, listening on HOST:PORT
 * (127.0.0.1:4000 by default). SIGTERM or SIGINT closes it gracefully.
 */
const config = loadConfig((env) => {
  const gateway = readGatewayConfig(env);
  return {
    gateway,
    kafka: readKafkaConfig(env, gateway.runtime, 'orderly-gateway'),
    events: readEventsConfig(env),
    host: env.string('HOST', '127.0.0.1'),
    port: env.int('PORT', 4000, { min: 0, max: 65_535 }),
  };
});
const logger = createLogger({ name: 'gateway', level: config.gateway.runtime.logLevel });

async function main(): Promise<void> {
  const invoker = createRemoteInvoker(config.gateway);
  const inventory = createInventoryClient({ address: config.gateway.inventoryAddress });
  await telemetryReady();
  const server = await startGatewayServer({
    host: config.host,
    port: config.port,
    logger,
    invoker,
    stock: inventory,
    settings: config.gateway.settings,
    hopSecret: config.gateway.hopSecret,
    ...(config.gateway.storefrontRoot ? { storefrontRoot: config.gateway.storefrontRoot } : {}),
    storefrontOrigins: config.gateway.storefrontOrigins,
    events: { kafka: config.kafka, topics: new EventTopics(config.events.topicPrefix) },
  });
  logger.info({ url: server.url, invoker: config.gateway.invoker }, 'GraphQL gateway listening');
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  logger.info({ signal }, 'shutting down');
  await server.close();
  inventory.close();
  await invoker.close?.();
  await shutdownTelemetry();
}

main().catch((err: unknown) => {
  logger.fatal({ err }, 'the gateway stopped');
  process.exitCode = 1;
});
