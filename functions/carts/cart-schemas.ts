import { Type } from '@sinclair/typebox';
import { Product } from '../catalog/product-schemas.js';

const Sku = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9][A-Za-z0-9\\-_.:/]*$',
});

export const AddItemInput = Type.Object(
  { sku: Sku, quantity: Type.Integer({ minimum: 1, maximum: 100 }) },
  { additionalProperties: false },
);

export const SetQuantityInput = Type.Object(
  { quantity: Type.Integer({ minimum: 0, maximum: 1000 }) },
  { additionalProperties: false },
);

export const SkuParams = Type.Object({ sku: Sku });

export const Cart = Type.Object({
  items: Type.Array(
    Type.Object({
      sku: Type.String(),
      quantity: Type.Integer(),
      product: Product,
      lineTotalCents: Type.Integer(),
    }),
  ),
  subtotalCents: Type.Integer(),
  currency: Type.String(),
});
