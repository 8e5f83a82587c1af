import { ServerCredentials } from '@grpc/grpc-js';
import { INVENTORY_SERVICE_NAME } from '../../shared/grpc/inventory-proto.js';
import { createKafka, createProducer, ensureTopics } from '../../shared/kafka/kafka-client.js';
import type { Logger } from '../../shared/logger/logger.js';
import { connectMongo } from '../../shared/mongo/mongo-client.js';
import type { InventoryConfig } from './config.js';
import { bindServer, createInventoryGrpcServer } from './grpc-server.js';
import { InventoryService } from './inventory-service.js';
import { INVENTORY_INDEXES, MongoStockStore } from './mongo-stock-store.js';
import { StockChangeBus } from './stock-change-bus.js';
import { StockChangePublisher } from './stock-change-publisher.js';

export interface RunningInventory {
  /** The port the gRPC server listens on. */
  port: number;
  service: InventoryService;
  /**
   * Graceful stop: health NOT_SERVING, a drain pause for load balancers to notice, then the
   * listener closes and in-flight calls get up to the grace period before being cancelled;
   * finally Kafka and MongoDB are closed.
   */
  stop(): Promise<void>;
}

/** Connects the clients, recovers interrupted reservations, and starts serving gRPC. */
export async function startInventory(
  config: InventoryConfig,
  logger: Logger,
): Promise<RunningInventory> {
  const mongo = await connectMongo(config.mongo, {
    logger,
    indexes: INVENTORY_INDEXES,
    appName: 'orderly-inventory',
  });
  const kafka = createKafka(config.kafka, { logger });
  await ensureTopics(kafka, [
    { topic: config.stockTopic, partitions: config.stockTopicPartitions },
  ]);
  const producer = await createProducer(kafka);
  const publisher = new StockChangePublisher(producer, config.stockTopic, logger);
  const bus = new StockChangeBus();

  const service = new InventoryService(
    new MongoStockStore(mongo.db),
    (level, cause) => {
      bus.notify(level);
      publisher.enqueue(level, cause);
    },
    {
      logger,
      defaultTtlSeconds: config.defaultTtlSeconds,
      pendingTimeoutMs: config.pendingTimeoutMs,
    },
  );
  // Repair what a previous process left half done before taking new calls.
  await service.sweep();

  const { server, health } = createInventoryGrpcServer({ service, bus, logger });
  const port = await bindServer(server, config.grpcAddress, ServerCredentials.createInsecure());
  health.setStatus('', 'SERVING');
  health.setStatus(INVENTORY_SERVICE_NAME, 'SERVING');
  logger.info({ address: config.grpcAddress, port }, 'inventory gRPC server listening');

  let sweeping = false;
  const sweeper = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    service
      .sweep()
      .catch((err: unknown) => logger.error({ err }, 'sweep failed'))
      .finally(() => {
        sweeping = false;
      });
  }, config.sweepIntervalMs);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      logger.info('shutting down: health NOT_SERVING');
      health.setStatus('', 'NOT_SERVING');
      health.setStatus(INVENTORY_SERVICE_NAME, 'NOT_SERVING');
      await new Promise((resolve) => setTimeout(resolve, config.shutdownDrainMs));
      clearInterval(sweeper);
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          logger.warn('grace period over: cancelling in-flight calls');
          server.forceShutdown();
          resolve();
        }, config.shutdownGraceMs);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
      await publisher.close();
      await producer.disconnect();
      await mongo.close();
      logger.info('inventory stopped');
    })();
    return stopping;
  };

  return { port, service, stop };
}
