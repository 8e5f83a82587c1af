import { connectEventBus, type EventBus } from '../events/event-bus.js';
import type { Logger } from '../logger/logger.js';
import { type MongoConnection, openMongo } from '../mongo/mongo-client.js';
import type { WorkflowFunctionConfig } from './workflow-function-config.js';

export interface WorkflowClients {
  mongo: MongoConnection;
  bus: EventBus;
  close(): Promise<void>;
}

/**
 * The database and the event bus of a Kafka-triggered or scheduled function, opened once and
 * side by side. No index is made here: `npm run migrate` makes them when the stack is deployed.
 */
export async function connectWorkflowClients(
  config: WorkflowFunctionConfig,
  logger: Logger,
  options: { appName: string },
): Promise<WorkflowClients> {
  const mongo = openMongo(config.mongo, { logger, ...options });
  const [bus, connected] = await Promise.allSettled([
    connectEventBus(config.kafka, config.events, logger),
    mongo.ready,
  ]);
  if (bus.status === 'fulfilled' && connected.status === 'fulfilled') {
    return {
      mongo,
      bus: bus.value,
      async close() {
        await Promise.allSettled([bus.value.close(), mongo.close()]);
      },
    };
  }
  // Whichever did open is closed again; the next invocation starts both over.
  await Promise.allSettled([
    mongo.close(),
    bus.status === 'fulfilled' ? bus.value.close() : Promise.resolve(),
  ]);
  throw bus.status === 'rejected' ? bus.reason : (connected as PromiseRejectedResult).reason;
}
