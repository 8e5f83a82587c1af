import { connectEventBus, type EventBus } from '../events/event-bus.js';
import type { Logger } from '../logger/logger.js';
import {
  type CollectionIndexes,
  connectMongo,
  type MongoConnection,
} from '../mongo/mongo-client.js';
import type { WorkflowFunctionConfig } from './workflow-function-config.js';

export interface WorkflowClients {
  mongo: MongoConnection;
  bus: EventBus;
  close(): Promise<void>;
}

/** The database and the event bus of a Kafka-triggered or scheduled function, opened once. */
export async function connectWorkflowClients(
  config: WorkflowFunctionConfig,
  logger: Logger,
  options: { appName: string; indexes: CollectionIndexes[] },
): Promise<WorkflowClients> {
  const mongo = await connectMongo(config.mongo, { logger, ...options });
  try {
    const bus = await connectEventBus(config.kafka, config.events, logger);
    return {
      mongo,
      bus,
      async close() {
        await Promise.allSettled([bus.close(), mongo.close()]);
      },
    };
  } catch (err) {
    await mongo.close();
    throw err;
  }
}
