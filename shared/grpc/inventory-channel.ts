import { credentials, type Metadata, type ServiceError } from '@grpc/grpc-js';
import type { GetStockResponse__Output } from '../../protos/generated/orderly/inventory/v1/GetStockResponse.js';
import type { HoldRequest } from '../../protos/generated/orderly/inventory/v1/HoldRequest.js';
import type { InventoryServiceClient } from '../../protos/generated/orderly/inventory/v1/InventoryService.js';
import type { Line } from '../../protos/generated/orderly/inventory/v1/Line.js';
import type { ListHoldsResponse__Output } from '../../protos/generated/orderly/inventory/v1/ListHoldsResponse.js';
import type { Released__Output } from '../../protos/generated/orderly/inventory/v1/Released.js';
import { fromGrpcError } from '../errors/grpc.js';
import { RPC_CLIENT, rpcAttributes, tracedMetadata } from '../telemetry/grpc-tracing.js';
import { inSpan } from '../telemetry/trace-context.js';
import { activeTracer } from '../telemetry/tracing.js';
import type { InventoryClient, InventoryClientOptions } from './inventory-client.js';
import { INVENTORY_SERVICE_NAME, loadInventoryProto } from './inventory-proto.js';

/**
 * RPCs that may be sent again after an UNAVAILABLE without applying twice: each names the
 * reservation or hold it acts on, and a repeat changes nothing (a reservation's answers its
 * state; a hold's is idempotent per hold id and SKU). Restock
 * adds a quantity and carries no operation id, so it is never retried: its caller decides.
 */
export const RETRIED_METHODS = [
  'GetStock',
  'Reserve',
  'Release',
  'Commit',
  'ReturnStock',
  'InitStock',
  'WatchStock',
  'Hold',
  'ReleaseHeld',
  'CommitHeld',
  'ReturnSold',
  'ListHolds',
] as const;

/**
 * Retries happen in the gRPC channel, only for UNAVAILABLE (the server was not reached or is
 * restarting), and only for the idempotent RPCs above.
 */
export const SERVICE_CONFIG = JSON.stringify({
  loadBalancingConfig: [{ round_robin: {} }],
  methodConfig: [
    {
      name: RETRIED_METHODS.map((method) => ({ service: INVENTORY_SERVICE_NAME, method })),
      retryPolicy: {
        maxAttempts: 4,
        initialBackoff: '0.1s',
        maxBackoff: '1s',
        backoffMultiplier: 2,
        retryableStatusCodes: ['UNAVAILABLE'],
      },
    },
  ],
});

/**
 * The gRPC side of the inventory client (`inventory-client.ts` loads this module at the first
 * call): grpc-js, protobufjs and the contract are work a cold start of a function that may
 * never call inventory should not pay for.
 */
export function openInventoryChannel(options: InventoryClientOptions): InventoryClient {
  let channel: InventoryServiceClient | undefined;
  const client = (): InventoryServiceClient => {
    channel ??= new (loadInventoryProto().proto.orderly.inventory.v1.InventoryService)(
      options.address,
      credentials.createInsecure(),
      {
        'grpc.service_config': SERVICE_CONFIG,
        'grpc.enable_retries': 1,
        'grpc.keepalive_time_ms': 30_000,
        // Reconnect quickly after the server restarts (grpc-js backs off up to 120 s by default).
        'grpc.initial_reconnect_backoff_ms': 100,
        'grpc.max_reconnect_backoff_ms': 1_000,
      },
    );
    return channel;
  };
  const deadlineMs = options.deadlineMs ?? 2_000;
  const deadline = () => ({ deadline: new Date(Date.now() + deadlineMs) });
  // waitForReady: while the server is unreachable a call waits (up to its deadline) for the
  // channel to reconnect instead of failing at once, so a restart costs latency, not errors.
  // grpc-js takes it from the call's metadata options (it ignores it in the service config).
  const metadata = () => tracedMetadata({ waitForReady: true });

  /** One unary call, as a CLIENT span whose context travels in the call's metadata. */
  function call<Req, Res>(
    name: string,
    method: (
      req: Req,
      metadata: Metadata,
      opts: { deadline: Date },
      cb: (err: ServiceError | null, res?: Res) => void,
    ) => unknown,
    request: Req,
  ): Promise<Res> {
    return inSpan(
      activeTracer('inventory-client'),
      `${INVENTORY_SERVICE_NAME}/${name}`,
      { kind: RPC_CLIENT, attributes: rpcAttributes(INVENTORY_SERVICE_NAME, name) },
      () =>
        new Promise<Res>((resolve, reject) => {
          method.call(client(), request, tracedMetadata(), deadline(), (err, response) => {
            if (err) reject(fromGrpcError(err));
            else resolve(response as Res);
          });
        }),
    );
  }

  return {
    async getStock(skus) {
      const response = await call<{ skus: string[] }, GetStockResponse__Output>(
        'GetStock',
        client().GetStock,
        { skus: [...skus] },
      );
      return response.levels;
    },
    reserve: (reservationId, lines, ttlSeconds = 0) =>
      call('Reserve', client().Reserve, { reservationId, lines: [...lines], ttlSeconds }),
    release: (reservationId) => call('Release', client().Release, { reservationId }),
    commit: (reservationId) => call('Commit', client().Commit, { reservationId }),
    returnStock: (reservationId) => call('ReturnStock', client().ReturnStock, { reservationId }),
    restock: (sku, quantity) => call('Restock', client().Restock, { sku, quantity }),
    async initStock(lines) {
      const response = await call<{ lines: Line[] }, GetStockResponse__Output>(
        'InitStock',
        client().InitStock,
        { lines: [...lines] },
      );
      return response.levels;
    },
    hold: (holdId, lines) => call('Hold', client().Hold, { holdId, lines: [...lines] }),
    async releaseHeld(holdId, lines) {
      const response = await call<HoldRequest, Released__Output>(
        'ReleaseHeld',
        client().ReleaseHeld,
        { holdId, lines: [...lines] },
      );
      return response.released;
    },
    commitHeld: (holdId, lines) =>
      call('CommitHeld', client().CommitHeld, { holdId, lines: [...lines] }),
    returnSold: (holdId, lines) =>
      call('ReturnSold', client().ReturnSold, { holdId, lines: [...lines] }),
    async listHolds(afterSku, limit) {
      const response = await call<{ afterSku: string; limit: number }, ListHoldsResponse__Output>(
        'ListHolds',
        client().ListHolds,
        { afterSku, limit },
      );
      return response.skus;
    },
    watchStock: async (skus) => client().WatchStock({ skus: [...skus] }, metadata()),
    close: () => channel?.close(),
  };
}
