// Original file: protos/inventory.proto

import type { Line as _orderly_inventory_v1_Line, Line__Output as _orderly_inventory_v1_Line__Output } from '../../../orderly/inventory/v1/Line.js';

export interface HoldRequest {
  'holdId'?: (string);
  'lines'?: (_orderly_inventory_v1_Line)[];
}

export interface HoldRequest__Output {
  'holdId': (string);
  'lines': (_orderly_inventory_v1_Line__Output)[];
}
