// Original file: protos/inventory.proto

import type { Long } from '@grpc/proto-loader';

export interface RestockRequest {
  'sku'?: (string);
  /**
   * Positive adds, negative removes.
   */
  'quantity'?: (number | string | Long);
}

export interface RestockRequest__Output {
  'sku': (string);
  /**
   * Positive adds, negative removes.
   */
  'quantity': (number);
}
