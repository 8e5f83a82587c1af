// Original file: protos/inventory.proto

import type { SkuHolds as _orderly_inventory_v1_SkuHolds, SkuHolds__Output as _orderly_inventory_v1_SkuHolds__Output } from '../../../orderly/inventory/v1/SkuHolds.js';

export interface ListHoldsResponse {
  /**
   * Fewer than the limit: the last page.
   */
  'skus'?: (_orderly_inventory_v1_SkuHolds)[];
}

export interface ListHoldsResponse__Output {
  /**
   * Fewer than the limit: the last page.
   */
  'skus': (_orderly_inventory_v1_SkuHolds__Output)[];
}
