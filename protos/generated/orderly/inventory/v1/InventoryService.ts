// Original file: protos/inventory.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { GetStockRequest as _orderly_inventory_v1_GetStockRequest, GetStockRequest__Output as _orderly_inventory_v1_GetStockRequest__Output } from '../../../orderly/inventory/v1/GetStockRequest.js';
import type { GetStockResponse as _orderly_inventory_v1_GetStockResponse, GetStockResponse__Output as _orderly_inventory_v1_GetStockResponse__Output } from '../../../orderly/inventory/v1/GetStockResponse.js';
import type { Held as _orderly_inventory_v1_Held, Held__Output as _orderly_inventory_v1_Held__Output } from '../../../orderly/inventory/v1/Held.js';
import type { HoldRequest as _orderly_inventory_v1_HoldRequest, HoldRequest__Output as _orderly_inventory_v1_HoldRequest__Output } from '../../../orderly/inventory/v1/HoldRequest.js';
import type { InitStockRequest as _orderly_inventory_v1_InitStockRequest, InitStockRequest__Output as _orderly_inventory_v1_InitStockRequest__Output } from '../../../orderly/inventory/v1/InitStockRequest.js';
import type { ListHoldsRequest as _orderly_inventory_v1_ListHoldsRequest, ListHoldsRequest__Output as _orderly_inventory_v1_ListHoldsRequest__Output } from '../../../orderly/inventory/v1/ListHoldsRequest.js';
import type { ListHoldsResponse as _orderly_inventory_v1_ListHoldsResponse, ListHoldsResponse__Output as _orderly_inventory_v1_ListHoldsResponse__Output } from '../../../orderly/inventory/v1/ListHoldsResponse.js';
import type { Released as _orderly_inventory_v1_Released, Released__Output as _orderly_inventory_v1_Released__Output } from '../../../orderly/inventory/v1/Released.js';
import type { Reservation as _orderly_inventory_v1_Reservation, Reservation__Output as _orderly_inventory_v1_Reservation__Output } from '../../../orderly/inventory/v1/Reservation.js';
import type { ReservationRef as _orderly_inventory_v1_ReservationRef, ReservationRef__Output as _orderly_inventory_v1_ReservationRef__Output } from '../../../orderly/inventory/v1/ReservationRef.js';
import type { ReserveRequest as _orderly_inventory_v1_ReserveRequest, ReserveRequest__Output as _orderly_inventory_v1_ReserveRequest__Output } from '../../../orderly/inventory/v1/ReserveRequest.js';
import type { RestockRequest as _orderly_inventory_v1_RestockRequest, RestockRequest__Output as _orderly_inventory_v1_RestockRequest__Output } from '../../../orderly/inventory/v1/RestockRequest.js';
import type { StockLevel as _orderly_inventory_v1_StockLevel, StockLevel__Output as _orderly_inventory_v1_StockLevel__Output } from '../../../orderly/inventory/v1/StockLevel.js';
import type { WatchStockRequest as _orderly_inventory_v1_WatchStockRequest, WatchStockRequest__Output as _orderly_inventory_v1_WatchStockRequest__Output } from '../../../orderly/inventory/v1/WatchStockRequest.js';

export interface InventoryServiceClient extends grpc.Client {
  /**
   * Makes the reserved stock sold. Idempotent; refused (FAILED_PRECONDITION) after a release or expiry.
   */
  Commit(argument: _orderly_inventory_v1_ReservationRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  Commit(argument: _orderly_inventory_v1_ReservationRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  Commit(argument: _orderly_inventory_v1_ReservationRef, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  Commit(argument: _orderly_inventory_v1_ReservationRef, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  /**
   * Makes the reserved stock sold. Idempotent; refused (FAILED_PRECONDITION) after a release or expiry.
   */
  commit(argument: _orderly_inventory_v1_ReservationRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  commit(argument: _orderly_inventory_v1_ReservationRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  commit(argument: _orderly_inventory_v1_ReservationRef, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  commit(argument: _orderly_inventory_v1_ReservationRef, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  
  /**
   * Makes this id's held units of the lines sold; a line not held is left as it is.
   */
  CommitHeld(argument: _orderly_inventory_v1_HoldRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Held__Output>): grpc.ClientUnaryCall;
  CommitHeld(argument: _orderly_inventory_v1_HoldRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orderly_inventory_v1_Held__Output>): grpc.ClientUnaryCall;
  CommitHeld(argument: _orderly_inventory_v1_HoldRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Held__Output>): grpc.ClientUnaryCall;
  CommitHeld(argument: _orderly_inventory_v1_HoldRequest, callback: grpc.requestCallback<_orderly_inventory_v1_Held__Output>): grpc.ClientUnaryCall;
  /**
   * Makes this id's held units of the lines sold; a line not held is left as it is.
   */
  commitHeld(argument: _orderly_inventory_v1_HoldRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Held__Output>): grpc.ClientUnaryCall;
  commitHeld(argument: _orderly_inventory_v1_HoldRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orderly_inventory_v1_Held__Output>): grpc.ClientUnaryCall;
  commitHeld(argument: _orderly_inventory_v1_HoldRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Held__Output>): grpc.ClientUnaryCall;
  commitHeld(argument: _orderly_inventory_v1_HoldRequest, callback: grpc.requestCallback<_orderly_inventory_v1_Held__Output>): grpc.ClientUnaryCall;
  
  /**
   * Levels for the given SKUs, in request order; an unknown SKU reads as zero.
   */
  GetStock(argument: _orderly_inventory_v1_GetStockRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  GetStock(argument: _orderly_inventory_v1_GetStockRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orderly_inventory_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  GetStock(argument: _orderly_inventory_v1_GetStockRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  GetStock(argument: _orderly_inventory_v1_GetStockRequest, callback: grpc.requestCallback<_orderly_inventory_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Levels for the given SKUs, in request order; an unknown SKU reads as zero.
   */
  getStock(argument: _orderly_inventory_v1_GetStockRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  getStock(argument: _orderly_inventory_v1_GetStockRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orderly_inventory_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  getStock(argument: _orderly_inventory_v1_GetStockRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  getStock(argument: _orderly_inventory_v1_GetStockRequest, callback: grpc.requestCallback<_orderly_inventory_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Holds every line, one write per SKU. A line this id holds already stays as it is. Lacking
   * stock fails with FAILED_PRECONDITION naming the SKUs short; the lines it could hold stay
   * held (the error's details name them), for the caller to release: only the caller knows
   * whether another of its calls counts on them.
   */
  Hold(argument: _orderly_inventory_v1_HoldRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Held__Output>): grpc.ClientUnaryCall;
  Hold(argument: _orderly_inventory_v1_HoldRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orderly_inventory_v1_Held__Output>): grpc.ClientUnaryCall;
  Hold(argument: _orderly_inventory_v1_HoldRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Held__Output>): grpc.ClientUnaryCall;
  Hold(argument: _orderly_inventory_v1_HoldRequest, callback: grpc.requestCallback<_orderly_inventory_v1_Held__Output>): grpc.ClientUnaryCall;
  /**
   * Holds every line, one write per SKU. A line this id holds already stays as it is. Lacking
   * stock fails with FAILED_PRECONDITION naming the SKUs short; the lines it could hold stay
   * held (the error's details name them), for the caller to release: only the caller knows
   * whether another of its calls counts on them.
   */
  hold(argument: _orderly_inventory_v1_HoldRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Held__Output>): grpc.ClientUnaryCall;
  hold(argument: _orderly_inventory_v1_HoldRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orderly_inventory_v1_Held__Output>): grpc.ClientUnaryCall;
  hold(argument: _orderly_inventory_v1_HoldRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Held__Output>): grpc.ClientUnaryCall;
  hold(argument: _orderly_inventory_v1_HoldRequest, callback: grpc.requestCallback<_orderly_inventory_v1_Held__Output>): grpc.ClientUnaryCall;
  
  /**
   * Gives each SKU that has no stock record yet (never restocked, reserved or sold) its first
   * stock; a SKU that has one keeps it. Idempotent: the same call again changes nothing, so a
   * catalog import or a new variant can be retried safely. Answers the levels in request order.
   */
  InitStock(argument: _orderly_inventory_v1_InitStockRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  InitStock(argument: _orderly_inventory_v1_InitStockRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orderly_inventory_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  InitStock(argument: _orderly_inventory_v1_InitStockRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  InitStock(argument: _orderly_inventory_v1_InitStockRequest, callback: grpc.requestCallback<_orderly_inventory_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Gives each SKU that has no stock record yet (never restocked, reserved or sold) its first
   * stock; a SKU that has one keeps it. Idempotent: the same call again changes nothing, so a
   * catalog import or a new variant can be retried safely. Answers the levels in request order.
   */
  initStock(argument: _orderly_inventory_v1_InitStockRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  initStock(argument: _orderly_inventory_v1_InitStockRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orderly_inventory_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  initStock(argument: _orderly_inventory_v1_InitStockRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  initStock(argument: _orderly_inventory_v1_InitStockRequest, callback: grpc.requestCallback<_orderly_inventory_v1_GetStockResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * The SKUs that have holds, in SKU order after after_sku, with the ids holding each (holds and
   * reservations alike): a caller reconciles the holds it took against its own record.
   */
  ListHolds(argument: _orderly_inventory_v1_ListHoldsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_ListHoldsResponse__Output>): grpc.ClientUnaryCall;
  ListHolds(argument: _orderly_inventory_v1_ListHoldsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orderly_inventory_v1_ListHoldsResponse__Output>): grpc.ClientUnaryCall;
  ListHolds(argument: _orderly_inventory_v1_ListHoldsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_ListHoldsResponse__Output>): grpc.ClientUnaryCall;
  ListHolds(argument: _orderly_inventory_v1_ListHoldsRequest, callback: grpc.requestCallback<_orderly_inventory_v1_ListHoldsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The SKUs that have holds, in SKU order after after_sku, with the ids holding each (holds and
   * reservations alike): a caller reconciles the holds it took against its own record.
   */
  listHolds(argument: _orderly_inventory_v1_ListHoldsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_ListHoldsResponse__Output>): grpc.ClientUnaryCall;
  listHolds(argument: _orderly_inventory_v1_ListHoldsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orderly_inventory_v1_ListHoldsResponse__Output>): grpc.ClientUnaryCall;
  listHolds(argument: _orderly_inventory_v1_ListHoldsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_ListHoldsResponse__Output>): grpc.ClientUnaryCall;
  listHolds(argument: _orderly_inventory_v1_ListHoldsRequest, callback: grpc.requestCallback<_orderly_inventory_v1_ListHoldsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Returns the reserved stock. Idempotent; refused (FAILED_PRECONDITION) after a commit.
   */
  Release(argument: _orderly_inventory_v1_ReservationRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  Release(argument: _orderly_inventory_v1_ReservationRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  Release(argument: _orderly_inventory_v1_ReservationRef, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  Release(argument: _orderly_inventory_v1_ReservationRef, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  /**
   * Returns the reserved stock. Idempotent; refused (FAILED_PRECONDITION) after a commit.
   */
  release(argument: _orderly_inventory_v1_ReservationRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  release(argument: _orderly_inventory_v1_ReservationRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  release(argument: _orderly_inventory_v1_ReservationRef, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  release(argument: _orderly_inventory_v1_ReservationRef, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  
  /**
   * Returns this id's held units of the lines to available; answers the lines it released
   * (none when nothing was held: never held, released before, or committed).
   */
  ReleaseHeld(argument: _orderly_inventory_v1_HoldRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Released__Output>): grpc.ClientUnaryCall;
  ReleaseHeld(argument: _orderly_inventory_v1_HoldRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orderly_inventory_v1_Released__Output>): grpc.ClientUnaryCall;
  ReleaseHeld(argument: _orderly_inventory_v1_HoldRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Released__Output>): grpc.ClientUnaryCall;
  ReleaseHeld(argument: _orderly_inventory_v1_HoldRequest, callback: grpc.requestCallback<_orderly_inventory_v1_Released__Output>): grpc.ClientUnaryCall;
  /**
   * Returns this id's held units of the lines to available; answers the lines it released
   * (none when nothing was held: never held, released before, or committed).
   */
  releaseHeld(argument: _orderly_inventory_v1_HoldRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Released__Output>): grpc.ClientUnaryCall;
  releaseHeld(argument: _orderly_inventory_v1_HoldRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orderly_inventory_v1_Released__Output>): grpc.ClientUnaryCall;
  releaseHeld(argument: _orderly_inventory_v1_HoldRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Released__Output>): grpc.ClientUnaryCall;
  releaseHeld(argument: _orderly_inventory_v1_HoldRequest, callback: grpc.requestCallback<_orderly_inventory_v1_Released__Output>): grpc.ClientUnaryCall;
  
  /**
   * Reserves every line or none. Idempotent on reservation_id: the same id with the same lines
   * returns the same reservation; the same id with other lines fails with ALREADY_EXISTS.
   * Lacking stock fails with FAILED_PRECONDITION naming the SKUs.
   */
  Reserve(argument: _orderly_inventory_v1_ReserveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  Reserve(argument: _orderly_inventory_v1_ReserveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  Reserve(argument: _orderly_inventory_v1_ReserveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  Reserve(argument: _orderly_inventory_v1_ReserveRequest, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  /**
   * Reserves every line or none. Idempotent on reservation_id: the same id with the same lines
   * returns the same reservation; the same id with other lines fails with ALREADY_EXISTS.
   * Lacking stock fails with FAILED_PRECONDITION naming the SKUs.
   */
  reserve(argument: _orderly_inventory_v1_ReserveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  reserve(argument: _orderly_inventory_v1_ReserveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  reserve(argument: _orderly_inventory_v1_ReserveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  reserve(argument: _orderly_inventory_v1_ReserveRequest, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  
  /**
   * Adds stock, or with a negative quantity removes it, down to no less than zero available.
   */
  Restock(argument: _orderly_inventory_v1_RestockRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_StockLevel__Output>): grpc.ClientUnaryCall;
  Restock(argument: _orderly_inventory_v1_RestockRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orderly_inventory_v1_StockLevel__Output>): grpc.ClientUnaryCall;
  Restock(argument: _orderly_inventory_v1_RestockRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_StockLevel__Output>): grpc.ClientUnaryCall;
  Restock(argument: _orderly_inventory_v1_RestockRequest, callback: grpc.requestCallback<_orderly_inventory_v1_StockLevel__Output>): grpc.ClientUnaryCall;
  /**
   * Adds stock, or with a negative quantity removes it, down to no less than zero available.
   */
  restock(argument: _orderly_inventory_v1_RestockRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_StockLevel__Output>): grpc.ClientUnaryCall;
  restock(argument: _orderly_inventory_v1_RestockRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orderly_inventory_v1_StockLevel__Output>): grpc.ClientUnaryCall;
  restock(argument: _orderly_inventory_v1_RestockRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_StockLevel__Output>): grpc.ClientUnaryCall;
  restock(argument: _orderly_inventory_v1_RestockRequest, callback: grpc.requestCallback<_orderly_inventory_v1_StockLevel__Output>): grpc.ClientUnaryCall;
  
  /**
   * Gives the sold units of committed lines back to available, once per (hold_id, SKU): an
   * order cancelled after it was paid. Only for lines the caller committed.
   */
  ReturnSold(argument: _orderly_inventory_v1_HoldRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Held__Output>): grpc.ClientUnaryCall;
  ReturnSold(argument: _orderly_inventory_v1_HoldRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orderly_inventory_v1_Held__Output>): grpc.ClientUnaryCall;
  ReturnSold(argument: _orderly_inventory_v1_HoldRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Held__Output>): grpc.ClientUnaryCall;
  ReturnSold(argument: _orderly_inventory_v1_HoldRequest, callback: grpc.requestCallback<_orderly_inventory_v1_Held__Output>): grpc.ClientUnaryCall;
  /**
   * Gives the sold units of committed lines back to available, once per (hold_id, SKU): an
   * order cancelled after it was paid. Only for lines the caller committed.
   */
  returnSold(argument: _orderly_inventory_v1_HoldRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Held__Output>): grpc.ClientUnaryCall;
  returnSold(argument: _orderly_inventory_v1_HoldRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_orderly_inventory_v1_Held__Output>): grpc.ClientUnaryCall;
  returnSold(argument: _orderly_inventory_v1_HoldRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Held__Output>): grpc.ClientUnaryCall;
  returnSold(argument: _orderly_inventory_v1_HoldRequest, callback: grpc.requestCallback<_orderly_inventory_v1_Held__Output>): grpc.ClientUnaryCall;
  
  /**
   * Gives the sold stock of a committed reservation back to available (an order cancelled after
   * it was paid). Idempotent; refused (FAILED_PRECONDITION) unless the reservation was committed.
   */
  ReturnStock(argument: _orderly_inventory_v1_ReservationRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  ReturnStock(argument: _orderly_inventory_v1_ReservationRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  ReturnStock(argument: _orderly_inventory_v1_ReservationRef, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  ReturnStock(argument: _orderly_inventory_v1_ReservationRef, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  /**
   * Gives the sold stock of a committed reservation back to available (an order cancelled after
   * it was paid). Idempotent; refused (FAILED_PRECONDITION) unless the reservation was committed.
   */
  returnStock(argument: _orderly_inventory_v1_ReservationRef, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  returnStock(argument: _orderly_inventory_v1_ReservationRef, metadata: grpc.Metadata, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  returnStock(argument: _orderly_inventory_v1_ReservationRef, options: grpc.CallOptions, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  returnStock(argument: _orderly_inventory_v1_ReservationRef, callback: grpc.requestCallback<_orderly_inventory_v1_Reservation__Output>): grpc.ClientUnaryCall;
  
  /**
   * Streams each change of the given SKUs as it happens.
   */
  WatchStock(argument: _orderly_inventory_v1_WatchStockRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_orderly_inventory_v1_StockLevel__Output>;
  WatchStock(argument: _orderly_inventory_v1_WatchStockRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_orderly_inventory_v1_StockLevel__Output>;
  /**
   * Streams each change of the given SKUs as it happens.
   */
  watchStock(argument: _orderly_inventory_v1_WatchStockRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_orderly_inventory_v1_StockLevel__Output>;
  watchStock(argument: _orderly_inventory_v1_WatchStockRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_orderly_inventory_v1_StockLevel__Output>;
  
}

export interface InventoryServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Makes the reserved stock sold. Idempotent; refused (FAILED_PRECONDITION) after a release or expiry.
   */
  Commit: grpc.handleUnaryCall<_orderly_inventory_v1_ReservationRef__Output, _orderly_inventory_v1_Reservation>;
  
  /**
   * Makes this id's held units of the lines sold; a line not held is left as it is.
   */
  CommitHeld: grpc.handleUnaryCall<_orderly_inventory_v1_HoldRequest__Output, _orderly_inventory_v1_Held>;
  
  /**
   * Levels for the given SKUs, in request order; an unknown SKU reads as zero.
   */
  GetStock: grpc.handleUnaryCall<_orderly_inventory_v1_GetStockRequest__Output, _orderly_inventory_v1_GetStockResponse>;
  
  /**
   * Holds every line, one write per SKU. A line this id holds already stays as it is. Lacking
   * stock fails with FAILED_PRECONDITION naming the SKUs short; the lines it could hold stay
   * held (the error's details name them), for the caller to release: only the caller knows
   * whether another of its calls counts on them.
   */
  Hold: grpc.handleUnaryCall<_orderly_inventory_v1_HoldRequest__Output, _orderly_inventory_v1_Held>;
  
  /**
   * Gives each SKU that has no stock record yet (never restocked, reserved or sold) its first
   * stock; a SKU that has one keeps it. Idempotent: the same call again changes nothing, so a
   * catalog import or a new variant can be retried safely. Answers the levels in request order.
   */
  InitStock: grpc.handleUnaryCall<_orderly_inventory_v1_InitStockRequest__Output, _orderly_inventory_v1_GetStockResponse>;
  
  /**
   * The SKUs that have holds, in SKU order after after_sku, with the ids holding each (holds and
   * reservations alike): a caller reconciles the holds it took against its own record.
   */
  ListHolds: grpc.handleUnaryCall<_orderly_inventory_v1_ListHoldsRequest__Output, _orderly_inventory_v1_ListHoldsResponse>;
  
  /**
   * Returns the reserved stock. Idempotent; refused (FAILED_PRECONDITION) after a commit.
   */
  Release: grpc.handleUnaryCall<_orderly_inventory_v1_ReservationRef__Output, _orderly_inventory_v1_Reservation>;
  
  /**
   * Returns this id's held units of the lines to available; answers the lines it released
   * (none when nothing was held: never held, released before, or committed).
   */
  ReleaseHeld: grpc.handleUnaryCall<_orderly_inventory_v1_HoldRequest__Output, _orderly_inventory_v1_Released>;
  
  /**
   * Reserves every line or none. Idempotent on reservation_id: the same id with the same lines
   * returns the same reservation; the same id with other lines fails with ALREADY_EXISTS.
   * Lacking stock fails with FAILED_PRECONDITION naming the SKUs.
   */
  Reserve: grpc.handleUnaryCall<_orderly_inventory_v1_ReserveRequest__Output, _orderly_inventory_v1_Reservation>;
  
  /**
   * Adds stock, or with a negative quantity removes it, down to no less than zero available.
   */
  Restock: grpc.handleUnaryCall<_orderly_inventory_v1_RestockRequest__Output, _orderly_inventory_v1_StockLevel>;
  
  /**
   * Gives the sold units of committed lines back to available, once per (hold_id, SKU): an
   * order cancelled after it was paid. Only for lines the caller committed.
   */
  ReturnSold: grpc.handleUnaryCall<_orderly_inventory_v1_HoldRequest__Output, _orderly_inventory_v1_Held>;
  
  /**
   * Gives the sold stock of a committed reservation back to available (an order cancelled after
   * it was paid). Idempotent; refused (FAILED_PRECONDITION) unless the reservation was committed.
   */
  ReturnStock: grpc.handleUnaryCall<_orderly_inventory_v1_ReservationRef__Output, _orderly_inventory_v1_Reservation>;
  
  /**
   * Streams each change of the given SKUs as it happens.
   */
  WatchStock: grpc.handleServerStreamingCall<_orderly_inventory_v1_WatchStockRequest__Output, _orderly_inventory_v1_StockLevel>;
  
}

export interface InventoryServiceDefinition extends grpc.ServiceDefinition {
  Commit: MethodDefinition<_orderly_inventory_v1_ReservationRef, _orderly_inventory_v1_Reservation, _orderly_inventory_v1_ReservationRef__Output, _orderly_inventory_v1_Reservation__Output>
  CommitHeld: MethodDefinition<_orderly_inventory_v1_HoldRequest, _orderly_inventory_v1_Held, _orderly_inventory_v1_HoldRequest__Output, _orderly_inventory_v1_Held__Output>
  GetStock: MethodDefinition<_orderly_inventory_v1_GetStockRequest, _orderly_inventory_v1_GetStockResponse, _orderly_inventory_v1_GetStockRequest__Output, _orderly_inventory_v1_GetStockResponse__Output>
  Hold: MethodDefinition<_orderly_inventory_v1_HoldRequest, _orderly_inventory_v1_Held, _orderly_inventory_v1_HoldRequest__Output, _orderly_inventory_v1_Held__Output>
  InitStock: MethodDefinition<_orderly_inventory_v1_InitStockRequest, _orderly_inventory_v1_GetStockResponse, _orderly_inventory_v1_InitStockRequest__Output, _orderly_inventory_v1_GetStockResponse__Output>
  ListHolds: MethodDefinition<_orderly_inventory_v1_ListHoldsRequest, _orderly_inventory_v1_ListHoldsResponse, _orderly_inventory_v1_ListHoldsRequest__Output, _orderly_inventory_v1_ListHoldsResponse__Output>
  Release: MethodDefinition<_orderly_inventory_v1_ReservationRef, _orderly_inventory_v1_Reservation, _orderly_inventory_v1_ReservationRef__Output, _orderly_inventory_v1_Reservation__Output>
  ReleaseHeld: MethodDefinition<_orderly_inventory_v1_HoldRequest, _orderly_inventory_v1_Released, _orderly_inventory_v1_HoldRequest__Output, _orderly_inventory_v1_Released__Output>
  Reserve: MethodDefinition<_orderly_inventory_v1_ReserveRequest, _orderly_inventory_v1_Reservation, _orderly_inventory_v1_ReserveRequest__Output, _orderly_inventory_v1_Reservation__Output>
  Restock: MethodDefinition<_orderly_inventory_v1_RestockRequest, _orderly_inventory_v1_StockLevel, _orderly_inventory_v1_RestockRequest__Output, _orderly_inventory_v1_StockLevel__Output>
  ReturnSold: MethodDefinition<_orderly_inventory_v1_HoldRequest, _orderly_inventory_v1_Held, _orderly_inventory_v1_HoldRequest__Output, _orderly_inventory_v1_Held__Output>
  ReturnStock: MethodDefinition<_orderly_inventory_v1_ReservationRef, _orderly_inventory_v1_Reservation, _orderly_inventory_v1_ReservationRef__Output, _orderly_inventory_v1_Reservation__Output>
  WatchStock: MethodDefinition<_orderly_inventory_v1_WatchStockRequest, _orderly_inventory_v1_StockLevel, _orderly_inventory_v1_WatchStockRequest__Output, _orderly_inventory_v1_StockLevel__Output>
}
