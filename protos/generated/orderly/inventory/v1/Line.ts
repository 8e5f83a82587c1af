// Original file: protos/inventory.proto


export interface Line {
  'sku'?: (string);
  'quantity'?: (number);
}

export interface Line__Output {
  'sku': (string);
  'quantity': (number);
}
