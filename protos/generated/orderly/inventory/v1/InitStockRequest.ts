// Original file: protos/inventory.proto

import type { Line as _orderly_inventory_v1_Line, Line__Output as _orderly_inventory_v1_Line__Output } from '../../../orderly/inventory/v1/Line.js';

export interface InitStockRequest {
  /**
   * One line per SKU: its first stock (0 records a SKU with none).
   */
  'lines'?: (_orderly_inventory_v1_Line)[];
}

export interface InitStockRequest__Output {
  /**
   * One line per SKU: its first stock (0 records a SKU with none).
   */
  'lines': (_orderly_inventory_v1_Line__Output)[];
}
