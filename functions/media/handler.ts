import type { DomainEvent } from '../../shared/events/envelope.js';
import {
  createKafkaEventHandler,
  type KafkaFunctionHandler,
} from '../../shared/kafka-function/kafka-event-handler.js';
import type { Logger } from '../../shared/logger/logger.js';
import { type ObjectStorage, s3ObjectStorage } from '../../shared/storage/object-storage.js';
import { connectWorkflowClients } from '../../shared/workflow-function/workflow-clients.js';
import { type CatalogMedia, catalogMedia } from '../catalog/port.js';
import type { MediaConfig } from './config.js';
import { planRenditions } from './renditions.js';
import { resize } from './resize.js';

/** The events the media function acts on (its Kafka mapping delivers no others). */
export const MEDIA_EVENTS = ['ProductImageAdded'] as const satisfies readonly DomainEvent['type'][];

/**
 * The media function, on the `catalog` topic: for each picture added to a product it makes the
 * storefront's resized copies (WebP) with a real image library, stores them beside the
 * original and records them on the product through the catalog's port. Safe to repeat: the
 * copies have fixed keys, and recording them again writes the same.
 */
export function createMediaHandler(config: MediaConfig, logger: Logger): KafkaFunctionHandler {
  return createKafkaEventHandler({
    name: 'media',
    logger,
    handles: MEDIA_EVENTS,
    async start() {
      const clients = await connectWorkflowClients(config, logger, { appName: 'orderly-media' });
      const storage = s3ObjectStorage(config.media);
      return {
        producer: clients.bus.producer,
        storage,
        catalog: catalogMedia(clients.mongo.db),
        async close() {
          storage.close();
          await clients.close();
        },
      };
    },
    handle: (event, context, eventLogger) =>
      makeRenditions(event, context.storage, context.catalog, eventLogger),
  });
}

export async function makeRenditions(
  event: DomainEvent,
  storage: ObjectStorage,
  catalog: CatalogMedia,
  logger: Logger,
): Promise<void> {
  if (event.type !== 'ProductImageAdded') return;
  const { productId, imageId, key, width, height } = event.data;
  const original = await storage.get(key);
  if (!original) {
    // Removed before its copies were made: nothing to do.
    logger.info({ productId, imageId }, 'the picture is gone; no copies made');
    return;
  }
  const plans = planRenditions({ key, width, height });
  for (const plan of plans) {
    await storage.put(plan.key, await resize(original, plan), { contentType: 'image/webp' });
  }
  const recorded = await catalog.recordRenditions(productId, imageId, plans);
  if (!recorded) {
    await storage.delete(plans.map((plan) => plan.key));
    logger.info({ productId, imageId }, 'the picture was removed meanwhile; its copies too');
    return;
  }
  logger.debug({ productId, imageId, widths: plans.map((plan) => plan.width) }, 'copies made');
}
