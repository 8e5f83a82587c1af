// Original file: protos/inventory.proto


export interface ListHoldsRequest {
  /**
   * The last SKU of the previous page; empty for the first.
   */
  'afterSku'?: (string);
  /**
   * SKUs per page, 1 to 500; 0 means 100.
   */
  'limit'?: (number);
}

export interface ListHoldsRequest__Output {
  /**
   * The last SKU of the previous page; empty for the first.
   */
  'afterSku': (string);
  /**
   * SKUs per page, 1 to 500; 0 means 100.
   */
  'limit': (number);
}
