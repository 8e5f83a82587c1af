import { lazyResource } from '../../shared/lambda/lazy-resource.js';
import type { Logger } from '../../shared/logger/logger.js';
import type { OutboxDocument } from '../../shared/outbox/outbox.js';
import {
  connectWorkflowClients,
  type WorkflowClients,
} from '../../shared/workflow-function/workflow-clients.js';
import type { WorkflowFunctionConfig } from '../../shared/workflow-function/workflow-function-config.js';
import { CATALOG_OUTBOX_COLLECTIONS } from '../catalog/port.js';
import { ORDERS_COLLECTION } from '../orders/port.js';
import type { OutboxRelayConfig } from './config.js';
import { OutboxRelay, type RelayPass } from './outbox-relay.js';

export type { OutboxRelay };

/** The collections whose documents carry an outbox. */
export const OUTBOX_COLLECTIONS = [ORDERS_COLLECTION, ...CATALOG_OUTBOX_COLLECTIONS];

export interface RunningRelay {
  relay: OutboxRelay;
  close(): Promise<void>;
}

export async function startOutboxRelay(
  config: WorkflowFunctionConfig,
  logger: Logger,
): Promise<RunningRelay> {
  const clients = await connectWorkflowClients(config, logger, {
    appName: 'orderly-outbox-relay',
  });
  return { relay: createOutboxRelay(clients, logger), close: clients.close };
}

/** A relay over every outbox collection, on clients the caller owns. */
export function createOutboxRelay(clients: WorkflowClients, logger: Logger): OutboxRelay {
  const sources = OUTBOX_COLLECTIONS.map((name) =>
    clients.mongo.db.collection<OutboxDocument>(name),
  );
  return new OutboxRelay(sources, clients.bus.publisher, logger);
}

/**
 * The scheduled Lambda handler: relays until a pass finds nothing left or the time budget
 * is spent, and reports what it published.
 */
export function createOutboxRelayHandler(config: OutboxRelayConfig, logger: Logger) {
  const running = lazyResource(
    () => startOutboxRelay(config, logger),
    (started) => started.close(),
  );
  const handler = async (): Promise<RelayPass> => {
    const { relay } = await running.get();
    const total: RelayPass = { documents: 0, events: 0, failed: 0, parked: 0 };
    const deadline = Date.now() + config.budgetMs;
    while (Date.now() < deadline) {
      const pass = await relay.runOnce();
      total.documents += pass.documents;
      total.events += pass.events;
      total.failed += pass.failed;
      total.parked += pass.parked;
      // Nothing went out: what is left waits for its backoff or a later schedule.
      if (pass.documents === 0) break;
    }
    return total;
  };
  handler.close = () => running.close();
  return handler;
}
