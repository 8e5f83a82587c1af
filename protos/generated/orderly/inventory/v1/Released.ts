// Original file: protos/inventory.proto

import type { Line as _orderly_inventory_v1_Line, Line__Output as _orderly_inventory_v1_Line__Output } from '../../../orderly/inventory/v1/Line.js';

export interface Released {
  'holdId'?: (string);
  /**
   * The lines whose held units this call returned to available.
   */
  'released'?: (_orderly_inventory_v1_Line)[];
}

export interface Released__Output {
  'holdId': (string);
  /**
   * The lines whose held units this call returned to available.
   */
  'released': (_orderly_inventory_v1_Line__Output)[];
}
