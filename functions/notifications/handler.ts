import type { Db } from 'mongodb';
import { type MailSender, sesMailSender } from '../../shared/email/mail-sender.js';
import {
  createKafkaEventHandler,
  type KafkaFunctionHandler,
} from '../../shared/kafka-function/kafka-event-handler.js';
import { lazyResource } from '../../shared/lambda/lazy-resource.js';
import type { Logger } from '../../shared/logger/logger.js';
import { connectMongo } from '../../shared/mongo/mongo-client.js';
import { connectWorkflowClients } from '../../shared/workflow-function/workflow-clients.js';
import type { NotificationsConfig } from './config.js';
import { MailDelivery, type MailDeliveryOptions } from './mail-delivery.js';
import { NOTIFICATIONS_COLLECTION, type NotificationDoc } from './notification-document.js';
import { NOTIFICATION_EVENTS, Notifications } from './notifications.js';

export type { MailDelivery } from './mail-delivery.js';

/** The mail delivery of one database and sender: the handler's, the sweep's, the platform's. */
export function createMailDelivery(
  db: Db,
  sender: MailSender,
  logger: Logger,
  options?: MailDeliveryOptions,
): MailDelivery {
  return new MailDelivery(
    db.collection<NotificationDoc>(NOTIFICATIONS_COLLECTION),
    sender,
    logger,
    options,
  );
}

/** The notifications function's Lambda handler for the `orders` topic. */
export function createNotificationsHandler(
  config: NotificationsConfig,
  logger: Logger,
): KafkaFunctionHandler {
  return createKafkaEventHandler({
    name: 'notifications',
    logger,
    handles: NOTIFICATION_EVENTS,
    async start() {
      const clients = await connectWorkflowClients(config, logger, {
        appName: 'orderly-notifications',
      });
      const sender = sesMailSender(config.mail);
      const notifications = new Notifications(
        clients.mongo.db,
        createMailDelivery(clients.mongo.db, sender, logger),
        { name: config.mail.shopName, url: config.mail.shopUrl },
      );
      return {
        producer: clients.bus.producer,
        notifications,
        async close() {
          sender.close();
          await clients.close();
        },
      };
    },
    handle: (event, context, eventLogger) => context.notifications.handle(event, eventLogger),
  });
}

/**
 * The scheduled mail sweep (every minute on AWS): sends the mails no handler finished, those
 * whose sender died or whose send failed.
 */
export function createMailSweepHandler(config: NotificationsConfig, logger: Logger) {
  const running = lazyResource(
    async () => {
      const mongo = await connectMongo(config.mongo, { logger, appName: 'orderly-mail-sweep' });
      const sender = sesMailSender(config.mail);
      return {
        delivery: createMailDelivery(mongo.db, sender, logger),
        async close() {
          sender.close();
          await mongo.close();
        },
      };
    },
    (started) => started.close(),
  );
  const handler = async (): Promise<{ sent: number }> => {
    const { delivery } = await running.get();
    return { sent: await delivery.sweep() };
  };
  handler.close = () => running.close();
  return handler;
}
