import {
  Server,
  type ServerCredentials,
  type ServerUnaryCall,
  type ServerWritableStream,
  type sendUnaryData,
  status,
} from '@grpc/grpc-js';
import { loadSync, type PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check';
import type { Reservation } from '../../protos/generated/orderly/inventory/v1/Reservation.js';
import type { StockLevel as StockLevelMessage } from '../../protos/generated/orderly/inventory/v1/StockLevel.js';
import { AppError, ErrorCode } from '../../shared/errors/catalogue.js';
import { toGrpcError } from '../../shared/errors/grpc.js';
import { INVENTORY_SERVICE_NAME, loadInventoryProto } from '../../shared/grpc/inventory-proto.js';
import type { Logger } from '../../shared/logger/logger.js';
import {
  contextOfMetadata,
  RPC_SERVER,
  rpcAttributes,
} from '../../shared/telemetry/grpc-tracing.js';
import { recordReservation } from '../../shared/telemetry/metrics.js';
import { inSpan } from '../../shared/telemetry/trace-context.js';
import { inComponent, tracerFor } from '../../shared/telemetry/tracing.js';
import type { ReservationRecord, StockLevel } from './domain/model.js';
import { validateSkus } from './domain/validation.js';
import type { InventoryService } from './inventory-service.js';
import { withProtocMapEntries } from './reflection-descriptors.js';
import type { StockChangeBus } from './stock-change-bus.js';

interface HoldRequestMessage {
  holdId: string;
  lines: { sku: string; quantity: number }[];
}

export interface InventoryGrpcDeps {
  service: InventoryService;
  bus: StockChangeBus;
  logger: Logger;
}

const STATE_OF: Record<ReservationRecord['state'], Reservation['state']> = {
  PENDING: 'STATE_UNSPECIFIED',
  REJECTED: 'STATE_UNSPECIFIED',
  RESERVED: 'RESERVED',
  RELEASED: 'RELEASED',
  COMMITTED: 'COMMITTED',
  EXPIRED: 'EXPIRED',
  RETURNED: 'RETURNED',
};

function reservationMessage(record: ReservationRecord): Reservation {
  return {
    reservationId: record.id,
    lines: record.lines,
    state: STATE_OF[record.state],
    expiresAtMs: record.expiresAt.getTime(),
  };
}

function levelMessage(level: StockLevel): StockLevelMessage {
  return {
    sku: level.sku,
    available: level.available,
    reserved: level.reserved,
    sold: level.sold,
    version: level.version,
  };
}

/**
 * The gRPC server of the inventory: InventoryService, the standard grpc.health.v1 service
 * and server reflection. Health starts NOT_SERVING; the caller flips it once listening.
 */
export function createInventoryGrpcServer(deps: InventoryGrpcDeps): {
  server: Server;
  health: HealthImplementation;
} {
  const { definition, proto } = loadInventoryProto();
  const logger = deps.logger.child({ component: 'grpc' });

  /** Adapts an async handler to a unary gRPC callback, mapping errors to the catalogue's statuses. */
  const unary =
    <Req, Res>(method: string, handle: (request: Req) => Promise<Res>) =>
    (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
      const started = performance.now();
      // A SERVER span continuing the caller's trace from the call's metadata.
      inSpan(
        tracerFor('inventory'),
        `${INVENTORY_SERVICE_NAME}/${method}`,
        {
          kind: RPC_SERVER,
          parent: inComponent(contextOfMetadata(call.metadata), 'inventory'),
          attributes: rpcAttributes(INVENTORY_SERVICE_NAME, method),
        },
        () => handle(call.request),
      ).then(
        (response) => callback(null, response),
        (err: unknown) => {
          const grpcError = toGrpcError(err);
          const ms = Math.round(performance.now() - started);
          if (grpcError.code === status.INTERNAL) logger.error({ err, method, ms }, 'call failed');
          else
            logger.debug(
              { method, code: grpcError.code, message: grpcError.details },
              'call refused',
            );
          callback(grpcError);
        },
      );
    };

  const server = new Server({ 'grpc.max_receive_message_length': 1024 * 1024 });
  server.addService(proto.orderly.inventory.v1.InventoryService.service, {
    GetStock: unary('GetStock', async (request: { skus: string[] }) => ({
      levels: (await deps.service.getStock(request.skus)).map(levelMessage),
    })),
    Reserve: unary(
      'Reserve',
      async (request: {
        reservationId: string;
        lines: { sku: string; quantity: number }[];
        ttlSeconds: number;
      }) => {
        try {
          const reserved = await deps.service.reserve(request);
          recordReservation('granted');
          return reservationMessage(reserved);
        } catch (err) {
          if (err instanceof AppError && err.code === ErrorCode.OUT_OF_STOCK) {
            recordReservation('refused');
          }
          throw err;
        }
      },
    ),
    Release: unary('Release', async (request: { reservationId: string }) =>
      reservationMessage(await deps.service.release(request.reservationId)),
    ),
    Commit: unary('Commit', async (request: { reservationId: string }) =>
      reservationMessage(await deps.service.commit(request.reservationId)),
    ),
    ReturnStock: unary('ReturnStock', async (request: { reservationId: string }) =>
      reservationMessage(await deps.service.returnStock(request.reservationId)),
    ),
    Restock: unary('Restock', async (request: { sku: string; quantity: number }) =>
      levelMessage(await deps.service.restock(request.sku, request.quantity)),
    ),
    InitStock: unary(
      'InitStock',
      async (request: { lines: { sku: string; quantity: number }[] }) => ({
        levels: (await deps.service.initStock(request.lines)).map(levelMessage),
      }),
    ),
    Hold: unary('Hold', async (request: HoldRequestMessage) => {
      try {
        const held = await deps.service.hold(request);
        recordReservation('granted');
        return held;
      } catch (err) {
        if (err instanceof AppError && err.code === ErrorCode.OUT_OF_STOCK) {
          recordReservation('refused');
        }
        throw err;
      }
    }),
    ReleaseHeld: unary('ReleaseHeld', (request: HoldRequestMessage) =>
      deps.service.releaseHeld(request),
    ),
    CommitHeld: unary('CommitHeld', (request: HoldRequestMessage) =>
      deps.service.commitHeld(request),
    ),
    ReturnSold: unary('ReturnSold', (request: HoldRequestMessage) =>
      deps.service.returnSold(request),
    ),
    ListHolds: unary('ListHolds', async (request: { afterSku: string; limit: number }) => ({
      skus: await deps.service.listHolds(request.afterSku, request.limit),
    })),
    WatchStock: (call: ServerWritableStream<{ skus: string[] }, StockLevelMessage>) => {
      let skus: string[];
      try {
        skus = validateSkus(call.request.skus);
      } catch (err) {
        // grpc-js ends a server stream with a status when 'error' is emitted on it
        // (destroy() would close it without sending one, leaving the client waiting).
        call.emit('error', toGrpcError(err));
        return;
      }
      const unsubscribe = deps.bus.subscribe(skus, (level) => call.write(levelMessage(level)));
      const stop = () => unsubscribe();
      call.on('cancelled', stop);
      call.on('close', stop);
      call.on('error', stop);
    },
  });

  const health = new HealthImplementation({
    '': 'NOT_SERVING',
    [INVENTORY_SERVICE_NAME]: 'NOT_SERVING',
  });
  health.addToServer(server);
  // Reflection describes the health service too, so `grpcurl -plaintext HOST:PORT list` and
  // `grpcurl … grpc.health.v1.Health/Check` work with no proto file at hand.
  new ReflectionService(withProtocMapEntries({ ...definition, ...healthDefinition() })).addToServer(
    server,
  );
  return { server, health };
}

let health: PackageDefinition | undefined;

/** grpc.health.v1, as loaded from the copy grpc-health-check ships. */
function healthDefinition(): PackageDefinition {
  health ??= loadSync(healthProtoPath, { keepCase: true, enums: String, defaults: true });
  return health;
}

/** Binds the server; resolves with the port (useful with port 0). */
export function bindServer(
  server: Server,
  address: string,
  credentials: ServerCredentials,
): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, credentials, (err, port) => (err ? reject(err) : resolve(port)));
  });
}
