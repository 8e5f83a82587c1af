// Original file: protos/inventory.proto


export interface GetStockRequest {
  'skus'?: (string)[];
}

export interface GetStockRequest__Output {
  'skus': (string)[];
}
