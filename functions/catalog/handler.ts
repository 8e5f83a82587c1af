import type { DomainEvent } from '../../shared/events/envelope.js';
import { createInventoryClient } from '../../shared/grpc/inventory-client.js';
import {
  createKafkaEventHandler,
  type KafkaFunctionHandler,
} from '../../shared/kafka-function/kafka-event-handler.js';
import type { Logger } from '../../shared/logger/logger.js';
import { sendNow } from '../../shared/outbox/aggregate-store.js';
import { s3ObjectStorage } from '../../shared/storage/object-storage.js';
import { connectWorkflowClients } from '../../shared/workflow-function/workflow-clients.js';
import type { CatalogEventsConfig } from './events-config.js';
import { ImportStore } from './import-store.js';
import { ProductImporter } from './product-import.js';
import { ProductStore } from './product-store.js';

/** The events the catalog's event function acts on (its Kafka mappings deliver no others). */
export const CATALOG_EVENTS = [
  'ProductImportRequested',
  'StockChanged',
] as const satisfies readonly DomainEvent['type'][];

/**
 * The catalog's Kafka-triggered function.
 *
 * On the `inventory` topic it keeps the stock that search filters on ("in stock only") in
 * step with inventory: each StockChanged is applied to the variant of its SKU if it is newer
 * than what the variant has (inventory's version), so a repeat, a late delivery or a retried
 * batch never puts an older level back. The checkout's reservation events are not its concern.
 *
 * On the `catalog` topic it runs catalog imports (ProductImportRequested); a picture added
 * (ProductImageAdded) is the media function's.
 */
export function createCatalogEventsHandler(
  config: CatalogEventsConfig,
  logger: Logger,
): KafkaFunctionHandler {
  return createKafkaEventHandler({
    name: 'catalog-events',
    logger,
    handles: CATALOG_EVENTS,
    async start() {
      const clients = await connectWorkflowClients(config, logger, {
        appName: 'orderly-catalog-events',
      });
      const inventory = createInventoryClient({ address: config.inventoryAddress });
      const storage = s3ObjectStorage(config.media);
      const sender = sendNow(clients.bus.publisher);
      const products = new ProductStore(clients.mongo.db, (key) => storage.publicUrl(key), sender);
      const importer = new ProductImporter(
        products,
        new ImportStore(clients.mongo.db, sender),
        inventory,
        storage,
        logger,
      );
      return {
        producer: clients.bus.producer,
        products,
        importer,
        async close() {
          inventory.close();
          storage.close();
          await clients.close();
        },
      };
    },
    handle: async (event: DomainEvent, context, eventLogger) => {
      if (event.type === 'ProductImportRequested') {
        await context.importer.run(event.data.importId);
        return;
      }
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
