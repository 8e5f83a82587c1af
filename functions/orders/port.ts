/**
 * What the orders module offers the rest of the platform; nothing else in functions/orders/ is
 * imported from outside it. The orders collection is written only through OrderAggregate, whose
 * moves are the rows of the lifecycle table (order-lifecycle.ts, also a port: it is pure).
 */
export { type MoveOptions, OrderAggregate } from './order-aggregate.js';
export {
  holdsItsStock,
  ORDER_INDEXES,
  ORDERS_COLLECTION,
  type OrderDoc,
  type OrderForMail,
  type OrderLine,
  type OrderPayment,
  orderPlacedEvent,
  readOrderForMail,
  stockLinesOf,
} from './order-document.js';
export { endHolds } from './order-holds.js';
export type { OrderTrigger } from './order-lifecycle.js';
