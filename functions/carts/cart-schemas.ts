import { Type } from '@sinclair/typebox';
import { ORDER_LIMITS, SKU_PATTERN } from '../../shared/limits/limits.js';
import { Product, VariantView } from '../catalog/port.js';

const Sku = Type.String({
  minLength: 1,
  maxLength: ORDER_LIMITS.skuMaxLength,
  pattern: SKU_PATTERN.source,
});

export const AddItemInput = Type.Object(
  { sku: Sku, quantity: Type.Integer({ minimum: 1, maximum: ORDER_LIMITS.maxQuantityPerAdd }) },
  { additionalProperties: false },
);

export const SetQuantityInput = Type.Object(
  { quantity: Type.Integer({ minimum: 0, maximum: ORDER_LIMITS.maxQuantityPerLine }) },
  { additionalProperties: false },
);

export const SkuParams = Type.Object({ sku: Sku });

export const Cart = Type.Object({
  items: Type.Array(
    Type.Object({
      sku: Type.String(),
      quantity: Type.Integer(),
      product: Product,
      /** The variant this line's SKU sells. */
      variant: VariantView,
      lineTotalCents: Type.Integer(),
    }),
  ),
  subtotalCents: Type.Integer(),
  currency: Type.String(),
});
