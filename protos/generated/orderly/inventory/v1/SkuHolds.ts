// Original file: protos/inventory.proto


export interface SkuHolds {
  'sku'?: (string);
  'holdIds'?: (string)[];
}

export interface SkuHolds__Output {
  'sku': (string);
  'holdIds': (string)[];
}
