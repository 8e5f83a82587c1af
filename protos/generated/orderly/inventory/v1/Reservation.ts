// Original file: protos/inventory.proto

import type { Line as _orderly_inventory_v1_Line, Line__Output as _orderly_inventory_v1_Line__Output } from '../../../orderly/inventory/v1/Line.js';
import type { Long } from '@grpc/proto-loader';

// Original file: protos/inventory.proto

export const _orderly_inventory_v1_Reservation_State = {
  STATE_UNSPECIFIED: 'STATE_UNSPECIFIED',
  RESERVED: 'RESERVED',
  RELEASED: 'RELEASED',
  COMMITTED: 'COMMITTED',
  EXPIRED: 'EXPIRED',
  RETURNED: 'RETURNED',
} as const;

export type _orderly_inventory_v1_Reservation_State =
  | 'STATE_UNSPECIFIED'
  | 0
  | 'RESERVED'
  | 1
  | 'RELEASED'
  | 2
  | 'COMMITTED'
  | 3
  | 'EXPIRED'
  | 4
  | 'RETURNED'
  | 5

export type _orderly_inventory_v1_Reservation_State__Output = typeof _orderly_inventory_v1_Reservation_State[keyof typeof _orderly_inventory_v1_Reservation_State]

export interface Reservation {
  'reservationId'?: (string);
  /**
   * The lines as held: one per SKU, quantities of repeated SKUs summed, sorted by SKU.
   */
  'lines'?: (_orderly_inventory_v1_Line)[];
  'state'?: (_orderly_inventory_v1_Reservation_State);
  /**
   * When an unconfirmed reservation is released, in milliseconds since the Unix epoch.
   */
  'expiresAtMs'?: (number | string | Long);
}

export interface Reservation__Output {
  'reservationId': (string);
  /**
   * The lines as held: one per SKU, quantities of repeated SKUs summed, sorted by SKU.
   */
  'lines': (_orderly_inventory_v1_Line__Output)[];
  'state': (_orderly_inventory_v1_Reservation_State__Output);
  /**
   * When an unconfirmed reservation is released, in milliseconds since the Unix epoch.
   */
  'expiresAtMs': (number);
}
