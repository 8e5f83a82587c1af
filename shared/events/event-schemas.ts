import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { ORDER_LIMITS } from '../limits/limits.js';

/**
 * The data of every event type, version 1. Producers and consumers both validate against
 * these, so a change here is a change of the wire format: add optional fields freely, and
 * publish a new version for anything else.
 */

const Id = Type.String({ minLength: 1, maxLength: 100 });
const Sku = Type.String({ minLength: 1, maxLength: ORDER_LIMITS.skuMaxLength });
const Cents = Type.Integer({ minimum: 0 });
const Currency = Type.String({ pattern: '^[A-Z]{3}$' });
const Timestamp = Type.String({ format: 'date-time' });
const PaymentToken = Type.String({ minLength: 1, maxLength: ORDER_LIMITS.paymentTokenMaxLength });

export const OrderStatus = Type.Union([
  Type.Literal('PENDING'),
  Type.Literal('RESERVED'),
  Type.Literal('CONFIRMED'),
  Type.Literal('CANCELLED'),
]);

/** The reasons the contract documents for `Order.cancellationReason`. */
export const CancellationReason = Type.Union([
  Type.Literal('OUT_OF_STOCK'),
  Type.Literal('PAYMENT_DECLINED'),
  Type.Literal('CANCELLED_BY_CUSTOMER'),
  Type.Literal('RESERVATION_EXPIRED'),
  /** The repair sweep gave up on an order the workflow could not move (nothing is charged). */
  Type.Literal('PROCESSING_FAILED'),
]);

const StockLine = Type.Object({ sku: Sku, quantity: Type.Integer({ minimum: 1 }) });

const OrderLine = Type.Object({
  sku: Sku,
  name: Type.String({ maxLength: ORDER_LIMITS.productNameMaxLength }),
  /** The variant's title ('M / Blue', or 'Default'). */
  variantTitle: Type.Optional(Type.String({ maxLength: 300 })),
  quantity: Type.Integer({ minimum: 1 }),
  unitPriceCents: Cents,
});

/** Every event about an order names the order and its owner (for per-customer subscriptions). */
const OrderRef = { orderId: Id, userId: Id };

export const EventData = {
  OrderPlaced: Type.Object({
    ...OrderRef,
    items: Type.Array(OrderLine, { minItems: 1, maxItems: ORDER_LIMITS.maxLines }),
    totalCents: Cents,
    currency: Currency,
    /**
     * No longer sent: the card token goes to the payment provider at checkout and is kept
     * nowhere else. Accepted from events published before.
     */
    paymentToken: Type.Optional(PaymentToken),
  }),
  StockReserved: Type.Object({
    ...OrderRef,
    reservationId: Id,
    lines: Type.Array(StockLine, { minItems: 1, maxItems: ORDER_LIMITS.maxLines }),
    expiresAt: Timestamp,
    amountCents: Cents,
    currency: Currency,
    paymentToken: PaymentToken,
  }),
  StockRejected: Type.Object({
    ...OrderRef,
    reservationId: Id,
    /** SKUs that lacked stock (empty when inventory refused the lines for another reason). */
    shortage: Type.Array(Sku),
    message: Type.String({ maxLength: 500 }),
  }),
  StockReleased: Type.Object({
    ...OrderRef,
    reservationId: Id,
    /** RELEASED: the reservation gave its stock back; RETURNED: sold stock was put back. */
    outcome: Type.Union([Type.Literal('RELEASED'), Type.Literal('RETURNED')]),
  }),
  PaymentAuthorized: Type.Object({
    ...OrderRef,
    paymentId: Id,
    amountCents: Cents,
    currency: Currency,
  }),
  PaymentDeclined: Type.Object({
    ...OrderRef,
    paymentId: Id,
    amountCents: Cents,
    currency: Currency,
    declineCode: Type.String({ maxLength: 100 }),
  }),
  PaymentRefunded: Type.Object({
    ...OrderRef,
    paymentId: Id,
    amountCents: Cents,
    currency: Currency,
  }),
  OrderConfirmed: Type.Object({
    ...OrderRef,
    totalCents: Cents,
    currency: Currency,
    /** When the order was RESERVED on its way here (no event announces that status). */
    reservedAt: Type.Optional(Timestamp),
  }),
  OrderCancelled: Type.Object({
    ...OrderRef,
    reason: CancellationReason,
    previousStatus: OrderStatus,
  }),
  StockChanged: Type.Object({
    sku: Sku,
    available: Type.Integer(),
    reserved: Type.Integer(),
    sold: Type.Integer(),
    cause: Type.String({ maxLength: 50 }),
    /** The inventory's version of this level: a consumer keeps the highest it has seen. */
    version: Type.Optional(Type.Integer({ minimum: 0 })),
  }),
  /** A picture was added to a product: the media function makes its resized copies. */
  ProductImageAdded: Type.Object({
    productId: Id,
    imageId: Id,
    /** The original's object key in the media bucket. */
    key: Type.String({ minLength: 1, maxLength: 500 }),
    contentType: Type.String({ maxLength: 50 }),
    width: Type.Integer({ minimum: 1 }),
    height: Type.Integer({ minimum: 1 }),
  }),
  /** An admin asked for a catalog CSV file to be imported: catalog-events runs the import. */
  ProductImportRequested: Type.Object({ importId: Id }),
} satisfies Record<string, TSchema>;

export type EventType = keyof typeof EventData;
export type EventDataOf<T extends EventType> = Static<(typeof EventData)[T]>;
export type CancellationReason = Static<typeof CancellationReason>;
export type OrderStatus = Static<typeof OrderStatus>;
