import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { GetStockRequest as _orderly_inventory_v1_GetStockRequest, GetStockRequest__Output as _orderly_inventory_v1_GetStockRequest__Output } from './orderly/inventory/v1/GetStockRequest.js';
import type { GetStockResponse as _orderly_inventory_v1_GetStockResponse, GetStockResponse__Output as _orderly_inventory_v1_GetStockResponse__Output } from './orderly/inventory/v1/GetStockResponse.js';
import type { Held as _orderly_inventory_v1_Held, Held__Output as _orderly_inventory_v1_Held__Output } from './orderly/inventory/v1/Held.js';
import type { HoldRequest as _orderly_inventory_v1_HoldRequest, HoldRequest__Output as _orderly_inventory_v1_HoldRequest__Output } from './orderly/inventory/v1/HoldRequest.js';
import type { InitStockRequest as _orderly_inventory_v1_InitStockRequest, InitStockRequest__Output as _orderly_inventory_v1_InitStockRequest__Output } from './orderly/inventory/v1/InitStockRequest.js';
import type { InventoryServiceClient as _orderly_inventory_v1_InventoryServiceClient, InventoryServiceDefinition as _orderly_inventory_v1_InventoryServiceDefinition } from './orderly/inventory/v1/InventoryService.js';
import type { Line as _orderly_inventory_v1_Line, Line__Output as _orderly_inventory_v1_Line__Output } from './orderly/inventory/v1/Line.js';
import type { ListHoldsRequest as _orderly_inventory_v1_ListHoldsRequest, ListHoldsRequest__Output as _orderly_inventory_v1_ListHoldsRequest__Output } from './orderly/inventory/v1/ListHoldsRequest.js';
import type { ListHoldsResponse as _orderly_inventory_v1_ListHoldsResponse, ListHoldsResponse__Output as _orderly_inventory_v1_ListHoldsResponse__Output } from './orderly/inventory/v1/ListHoldsResponse.js';
import type { Released as _orderly_inventory_v1_Released, Released__Output as _orderly_inventory_v1_Released__Output } from './orderly/inventory/v1/Released.js';
import type { Reservation as _orderly_inventory_v1_Reservation, Reservation__Output as _orderly_inventory_v1_Reservation__Output } from './orderly/inventory/v1/Reservation.js';
import type { ReservationRef as _orderly_inventory_v1_ReservationRef, ReservationRef__Output as _orderly_inventory_v1_ReservationRef__Output } from './orderly/inventory/v1/ReservationRef.js';
import type { ReserveRequest as _orderly_inventory_v1_ReserveRequest, ReserveRequest__Output as _orderly_inventory_v1_ReserveRequest__Output } from './orderly/inventory/v1/ReserveRequest.js';
import type { RestockRequest as _orderly_inventory_v1_RestockRequest, RestockRequest__Output as _orderly_inventory_v1_RestockRequest__Output } from './orderly/inventory/v1/RestockRequest.js';
import type { SkuHolds as _orderly_inventory_v1_SkuHolds, SkuHolds__Output as _orderly_inventory_v1_SkuHolds__Output } from './orderly/inventory/v1/SkuHolds.js';
import type { StockLevel as _orderly_inventory_v1_StockLevel, StockLevel__Output as _orderly_inventory_v1_StockLevel__Output } from './orderly/inventory/v1/StockLevel.js';
import type { WatchStockRequest as _orderly_inventory_v1_WatchStockRequest, WatchStockRequest__Output as _orderly_inventory_v1_WatchStockRequest__Output } from './orderly/inventory/v1/WatchStockRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  orderly: {
    inventory: {
      v1: {
        GetStockRequest: MessageTypeDefinition<_orderly_inventory_v1_GetStockRequest, _orderly_inventory_v1_GetStockRequest__Output>
        GetStockResponse: MessageTypeDefinition<_orderly_inventory_v1_GetStockResponse, _orderly_inventory_v1_GetStockResponse__Output>
        Held: MessageTypeDefinition<_orderly_inventory_v1_Held, _orderly_inventory_v1_Held__Output>
        HoldRequest: MessageTypeDefinition<_orderly_inventory_v1_HoldRequest, _orderly_inventory_v1_HoldRequest__Output>
        InitStockRequest: MessageTypeDefinition<_orderly_inventory_v1_InitStockRequest, _orderly_inventory_v1_InitStockRequest__Output>
        InventoryService: SubtypeConstructor<typeof grpc.Client, _orderly_inventory_v1_InventoryServiceClient> & { service: _orderly_inventory_v1_InventoryServiceDefinition }
        Line: MessageTypeDefinition<_orderly_inventory_v1_Line, _orderly_inventory_v1_Line__Output>
        ListHoldsRequest: MessageTypeDefinition<_orderly_inventory_v1_ListHoldsRequest, _orderly_inventory_v1_ListHoldsRequest__Output>
        ListHoldsResponse: MessageTypeDefinition<_orderly_inventory_v1_ListHoldsResponse, _orderly_inventory_v1_ListHoldsResponse__Output>
        Released: MessageTypeDefinition<_orderly_inventory_v1_Released, _orderly_inventory_v1_Released__Output>
        Reservation: MessageTypeDefinition<_orderly_inventory_v1_Reservation, _orderly_inventory_v1_Reservation__Output>
        ReservationRef: MessageTypeDefinition<_orderly_inventory_v1_ReservationRef, _orderly_inventory_v1_ReservationRef__Output>
        ReserveRequest: MessageTypeDefinition<_orderly_inventory_v1_ReserveRequest, _orderly_inventory_v1_ReserveRequest__Output>
        RestockRequest: MessageTypeDefinition<_orderly_inventory_v1_RestockRequest, _orderly_inventory_v1_RestockRequest__Output>
        SkuHolds: MessageTypeDefinition<_orderly_inventory_v1_SkuHolds, _orderly_inventory_v1_SkuHolds__Output>
        StockLevel: MessageTypeDefinition<_orderly_inventory_v1_StockLevel, _orderly_inventory_v1_StockLevel__Output>
        WatchStockRequest: MessageTypeDefinition<_orderly_inventory_v1_WatchStockRequest, _orderly_inventory_v1_WatchStockRequest__Output>
      }
    }
  }
}

