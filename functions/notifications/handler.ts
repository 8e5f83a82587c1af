import {
  createKafkaEventHandler,
  type KafkaFunctionHandler,
} from '../../shared/kafka-function/kafka-event-handler.js';
import type { Logger } from '../../shared/logger/logger.js';
import { connectWorkflowClients } from '../../shared/workflow-function/workflow-clients.js';
import type { WorkflowFunctionConfig } from '../../shared/workflow-function/workflow-function-config.js';
import { Notifications } from './notifications.js';

/** The notifications function's Lambda handler for the `orders` topic. */
export function createNotificationsHandler(
  config: WorkflowFunctionConfig,
  logger: Logger,
): KafkaFunctionHandler {
  return createKafkaEventHandler({
    name: 'notifications',
    logger,
    async start() {
      const clients = await connectWorkflowClients(config, logger, {
        appName: 'orderly-notifications',
      });
      const notifications = new Notifications(clients.mongo.db);
      return { producer: clients.bus.producer, notifications, close: clients.close };
    },
    handle: (event, context, eventLogger) => context.notifications.handle(event, eventLogger),
  });
}
