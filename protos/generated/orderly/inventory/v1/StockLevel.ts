// Original file: protos/inventory.proto

import type { Long } from '@grpc/proto-loader';

export interface StockLevel {
  'sku'?: (string);
  'available'?: (number | string | Long);
  'reserved'?: (number | string | Long);
  'sold'?: (number | string | Long);
  /**
   * Counts the changes of this SKU's stock: a level with a higher version is newer.
   */
  'version'?: (number | string | Long);
}

export interface StockLevel__Output {
  'sku': (string);
  'available': (number);
  'reserved': (number);
  'sold': (number);
  /**
   * Counts the changes of this SKU's stock: a level with a higher version is newer.
   */
  'version': (number);
}
