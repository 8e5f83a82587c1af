import type { EnvReader } from '../../shared/config/env-reader.js';
import { connectEventFunctionClients } from '../../shared/kafka-lambda/event-function-clients.js';
import {
  createKafkaEventHandler,
  type KafkaLambdaHandler,
} from '../../shared/kafka-lambda/kafka-event-handler.js';
import {
  type EventFunctionConfig,
  readEventFunctionConfig,
} from '../../shared/kafka-lambda/kafka-function-config.js';
import type { Logger } from '../../shared/logger/logger.js';
import { NOTIFICATION_INDEXES, Notifications } from './notifications.js';

export function readNotificationsConfig(env: EnvReader): EventFunctionConfig {
  return readEventFunctionConfig(env, 'orderly-notifications');
}

/** The notifications function's Lambda handler for the `orders` topic. */
export function createNotificationsHandler(
  config: EventFunctionConfig,
  logger: Logger,
): KafkaLambdaHandler {
  return createKafkaEventHandler({
    name: 'notifications',
    logger,
    async start() {
      const clients = await connectEventFunctionClients(config, logger, {
        appName: 'orderly-notifications',
        indexes: NOTIFICATION_INDEXES,
      });
      const notifications = new Notifications(clients.mongo.db);
      return { producer: clients.bus.producer, notifications, close: clients.close };
    },
    handle: (event, context, eventLogger) => context.notifications.handle(event, eventLogger),
  });
}
