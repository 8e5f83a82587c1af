// Original file: protos/inventory.proto

import type { Line as _orderly_inventory_v1_Line, Line__Output as _orderly_inventory_v1_Line__Output } from '../../../orderly/inventory/v1/Line.js';

export interface Held {
  'holdId'?: (string);
  /**
   * The lines as asked: one per SKU, quantities of repeated SKUs summed, sorted by SKU.
   */
  'lines'?: (_orderly_inventory_v1_Line)[];
}

export interface Held__Output {
  'holdId': (string);
  /**
   * The lines as asked: one per SKU, quantities of repeated SKUs summed, sorted by SKU.
   */
  'lines': (_orderly_inventory_v1_Line__Output)[];
}
