// Original file: protos/inventory.proto

import type { StockLevel as _orderly_inventory_v1_StockLevel, StockLevel__Output as _orderly_inventory_v1_StockLevel__Output } from '../../../orderly/inventory/v1/StockLevel.js';

export interface GetStockResponse {
  'levels'?: (_orderly_inventory_v1_StockLevel)[];
}

export interface GetStockResponse__Output {
  'levels': (_orderly_inventory_v1_StockLevel__Output)[];
}
