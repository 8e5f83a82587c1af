import type { DomainEvent } from '../../shared/events/envelope.js';
import {
  createKafkaEventHandler,
  type KafkaFunctionHandler,
} from '../../shared/kafka-function/kafka-event-handler.js';
import type { Logger } from '../../shared/logger/logger.js';
import { connectWorkflowClients } from '../../shared/workflow-function/workflow-clients.js';
import type { WorkflowFunctionConfig } from '../../shared/workflow-function/workflow-function-config.js';
import { ProductStore } from './product-store.js';

/**
 * The catalog's Kafka-triggered function. On the `inventory` topic it keeps the stock that
 * search filters on ("in stock only") in step with inventory: each StockChanged is applied to
 * the variant of its SKU if it is newer than what the variant has (inventory's version), so
 * a repeat, a late delivery or a retried batch never puts an older level back. Other events
 * of the topic (the checkout's reservations) are not the catalog's concern.
 */
export function createCatalogEventsHandler(
  config: WorkflowFunctionConfig,
  logger: Logger,
): KafkaFunctionHandler {
  return createKafkaEventHandler({
    name: 'catalog-events',
    logger,
    async start() {
      const clients = await connectWorkflowClients(config, logger, {
        appName: 'orderly-catalog-events',
      });
      return {
        producer: clients.bus.producer,
        products: new ProductStore(clients.mongo.db),
        close: clients.close,
      };
    },
    handle: async (event: DomainEvent, context, eventLogger) => {
      if (event.type !== 'StockChanged') return;
      const { sku, available, version } = event.data;
      // Inventory versions every level; one without came from a producer older than that.
      if (version === undefined) {
        eventLogger.debug({ sku }, 'a stock change without a version is not applied');
        return;
      }
      await context.products.applyStock([{ sku, available, version }]);
    },
  });
}
