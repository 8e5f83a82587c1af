// Original file: protos/inventory.proto

import type { Long } from '@grpc/proto-loader';

export interface StockLevel {
  'sku'?: (string);
  'available'?: (number | string | Long);
  'reserved'?: (number | string | Long);
  'sold'?: (number | string | Long);
}

export interface StockLevel__Output {
  'sku': (string);
  'available': (number);
  'reserved': (number);
  'sold': (number);
}
