import { loadConfig, readKafkaConfig } from '../shared/config/config.js';
import { readMailConfig } from '../shared/email/mail-config.js';
import { createToolLogger } from '../shared/logger/tool-logger.js';
import { readLocalPlatformConfig } from './platform/platform-config.js';
import { startWorkflowPlatform } from './platform/workflow-platform.js';

/**
 * `npm run worker`: one more workflow process beside a running `npm start`, as a second Lambda
 * concurrency slot or a second container would be: the Kafka-triggered functions behind their
 * own event-source emulator, in the same consumer groups (Kafka shares the partitions out), and
 * the relay (its lease keeps the two relays apart) and the sweeps (whose writes are guarded, so
 * two at once change nothing twice). It uses the servers the platform uses,
 * named by KAFKA_BROKERS, MONGODB_URI, AWS_ENDPOINT_URL and INVENTORY_ADDR; it starts none.
 */
const logger = createToolLogger('worker');

async function main(): Promise<void> {
  const env = process.env;
  const config = loadConfig(readLocalPlatformConfig, env);
  const required = loadConfig(
    (reader) => ({
      mongoUri: reader.string('MONGODB_URI'),
      inventory: reader.string('INVENTORY_ADDR'),
      awsEndpoint: reader.string('AWS_ENDPOINT_URL'),
    }),
    env,
  );
  const kafka = loadConfig(
    (reader) => readKafkaConfig(reader, config.runtime, 'orderly-worker'),
    env,
  );
  const mail = loadConfig((reader) => readMailConfig(reader, config.runtime), env);
  const workflow = await startWorkflowPlatform({
    runtime: { ...config.runtime, logLevel: 'info' },
    kafka,
    mongo: { uri: required.mongoUri, dbName: config.dbName },
    ...config.timings,
    logger,
    topicPrefix: config.topicPrefix,
    externalInventory: required.inventory,
    media: {
      bucket: config.mediaBucket,
      region: 'us-east-1',
      endpoint: required.awsEndpoint,
      publicBaseUrl: `${required.awsEndpoint}/${config.mediaBucket}`,
    },
    mail,
  });
  process.stdout.write(
    `Orderly workflow worker running: ${workflow.consumerGroups.length} consumer groups, inventory at ${required.inventory}\n`,
  );
  const received = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  logger.info({ signal: received }, 'shutting down');
  await workflow.stop();
  logger.info('stopped');
}

main().catch((err: unknown) => {
  logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exitCode = 1;
});
