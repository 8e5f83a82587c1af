// Original file: protos/inventory.proto

import type { Line as _orderly_inventory_v1_Line, Line__Output as _orderly_inventory_v1_Line__Output } from '../../../orderly/inventory/v1/Line.js';

export interface ReserveRequest {
  'reservationId'?: (string);
  'lines'?: (_orderly_inventory_v1_Line)[];
  /**
   * How long the reservation holds before the sweeper releases it; 0 means the server default.
   */
  'ttlSeconds'?: (number);
}

export interface ReserveRequest__Output {
  'reservationId': (string);
  'lines': (_orderly_inventory_v1_Line__Output)[];
  /**
   * How long the reservation holds before the sweeper releases it; 0 means the server default.
   */
  'ttlSeconds': (number);
}
