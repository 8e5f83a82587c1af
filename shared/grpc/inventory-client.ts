import type { ClientReadableStream } from '@grpc/grpc-js';
import type { Held__Output } from '../../protos/generated/orderly/inventory/v1/Held.js';
import type { Line } from '../../protos/generated/orderly/inventory/v1/Line.js';
import type { Reservation__Output } from '../../protos/generated/orderly/inventory/v1/Reservation.js';
import type { StockLevel__Output } from '../../protos/generated/orderly/inventory/v1/StockLevel.js';

export type StockLevel = StockLevel__Output;
export type Held = Held__Output;
export type Reservation = Reservation__Output;

export interface InventoryClientOptions {
  /** host:port of the inventory service. */
  address: string;
  /** Deadline of each call (ms). */
  deadlineMs?: number;
}

/** The inventory API for the functions; errors arrive as the catalogue's AppError. */
export interface InventoryClient {
  getStock(skus: readonly string[]): Promise<StockLevel[]>;
  reserve(reservationId: string, lines: readonly Line[], ttlSeconds?: number): Promise<Reservation>;
  release(reservationId: string): Promise<Reservation>;
  commit(reservationId: string): Promise<Reservation>;
  /** Gives a committed reservation's sold stock back (a cancel after payment); idempotent. */
  returnStock(reservationId: string): Promise<Reservation>;
  /** Adds (or removes) stock; not retried on UNAVAILABLE, as a repeat would add it twice. */
  restock(sku: string, quantity: number): Promise<StockLevel>;
  /** First stock of SKUs that have none (the others keep theirs); idempotent, so retried. */
  initStock(lines: readonly Line[]): Promise<StockLevel[]>;
  /**
   * Holds every line for `holdId` or none (OUT_OF_STOCK names the SKUs short). The caller keeps
   * the record of its holds and ends each: commitHeld or releaseHeld, with the same lines.
   */
  hold(holdId: string, lines: readonly Line[]): Promise<Held>;
  /** Returns `holdId`'s held units of the lines; answers the lines released (none: none held). */
  releaseHeld(holdId: string, lines: readonly Line[]): Promise<Line[]>;
  /** Makes `holdId`'s held units of the lines sold; a line not held stays as it is. */
  commitHeld(holdId: string, lines: readonly Line[]): Promise<Held>;
  /** Gives committed lines' sold units back, once per (holdId, SKU): a cancel after payment. */
  returnSold(holdId: string, lines: readonly Line[]): Promise<Held>;
  /**
   * A page of the SKUs that have holds (after `afterSku`, in SKU order, at most `limit`), with
   * the ids holding each: for reconciling holds against the caller's own record.
   */
  listHolds(afterSku: string, limit: number): Promise<{ sku: string; holdIds: string[] }[]>;
  /** A live stream of changes; cancel it with `stream.cancel()`. */
  watchStock(skus: readonly string[]): Promise<ClientReadableStream<StockLevel>>;
  close(): void;
}

/**
 * One channel per process: create the client once and close it on shutdown. The gRPC side
 * (grpc-js, protobufjs, the contract: tens of milliseconds to load) is loaded at the first
 * call, so a function that may never call inventory does not pay for it at its cold start.
 */
export function createInventoryClient(options: InventoryClientOptions): InventoryClient {
  let opening: Promise<InventoryClient> | undefined;
  let channel: InventoryClient | undefined;
  let closed = false;
  const open = (): Promise<InventoryClient> => {
    opening ??= import('./inventory-channel.js').then(
      ({ openInventoryChannel }) => {
        channel = openInventoryChannel(options);
        // Closed while it loaded: the channel opens and closes at once, so calls fail as
        // they would on a closed client and nothing is left running.
        if (closed) channel.close();
        return channel;
      },
      (err: unknown) => {
        opening = undefined;
        throw err;
      },
    );
    return opening;
  };
  return {
    getStock: async (skus) => (await open()).getStock(skus),
    reserve: async (reservationId, lines, ttlSeconds) =>
      (await open()).reserve(reservationId, lines, ttlSeconds),
    release: async (reservationId) => (await open()).release(reservationId),
    commit: async (reservationId) => (await open()).commit(reservationId),
    returnStock: async (reservationId) => (await open()).returnStock(reservationId),
    restock: async (sku, quantity) => (await open()).restock(sku, quantity),
    initStock: async (lines) => (await open()).initStock(lines),
    hold: async (holdId, lines) => (await open()).hold(holdId, lines),
    releaseHeld: async (holdId, lines) => (await open()).releaseHeld(holdId, lines),
    commitHeld: async (holdId, lines) => (await open()).commitHeld(holdId, lines),
    returnSold: async (holdId, lines) => (await open()).returnSold(holdId, lines),
    listHolds: async (afterSku, limit) => (await open()).listHolds(afterSku, limit),
    watchStock: async (skus) => (await open()).watchStock(skus),
    close: () => {
      closed = true;
      channel?.close();
    },
  };
}
