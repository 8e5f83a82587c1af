import { Type } from '@sinclair/typebox';
import { OrderStatus } from '../../shared/events/event-schemas.js';
import { ORDER_LIMITS } from '../../shared/limits/limits.js';

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

export const CheckoutInput = Type.Object(
  {
    idempotencyKey: Type.String({ minLength: 8, maxLength: 128, pattern: '^[A-Za-z0-9._:-]+$' }),
    paymentToken: Text(ORDER_LIMITS.paymentTokenMaxLength),
    shippingAddress: Type.Object(
      {
        name: Text(100),
        line1: Text(200),
        line2: Type.Optional(Type.String({ maxLength: 200 })),
        city: Text(100),
        postalCode: Text(20),
        country: Type.String({ pattern: '^[A-Z]{2}$' }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export { OrderStatus };

export const Order = Type.Object({
  id: Type.String(),
  status: OrderStatus,
  items: Type.Array(
    Type.Object({
      sku: Type.String(),
      name: Type.String(),
      /** The variant's title; orders placed before variants show 'Default'. */
      variantTitle: Type.String(),
      quantity: Type.Integer(),
      unitPriceCents: Type.Integer(),
    }),
  ),
  totalCents: Type.Integer(),
  currency: Type.String(),
  cancellationReason: Type.Union([Type.String(), Type.Null()]),
  history: Type.Array(
    Type.Object({
      status: OrderStatus,
      at: Type.String(),
      reason: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const OrderConnection = Type.Object({
  edges: Type.Array(Type.Object({ cursor: Type.String(), node: Order })),
  pageInfo: Type.Object({
    hasNextPage: Type.Boolean(),
    endCursor: Type.Union([Type.String(), Type.Null()]),
  }),
});

export const OrderListQuery = Type.Object(
  {
    first: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    after: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const OrderIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
