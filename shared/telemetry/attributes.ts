/**
 * Span and metric attribute names of our own; the rest are OpenTelemetry's semantic
 * conventions. The order id is on every span of an order's trace (and in its baggage), so
 * a viewer finds the trace from the id: `order.id=<id>` in Zipkin's search.
 */
export const ORDER_ID_ATTRIBUTE = 'order.id';
export const EVENT_TYPE_ATTRIBUTE = 'orderly.event.type';
export const EVENT_ID_ATTRIBUTE = 'orderly.event.id';
/** Which delivery of a Kafka record this is: 1, then 2, 3, … for each retry of its batch. */
export const DELIVERY_ATTEMPT_ATTRIBUTE = 'messaging.delivery.attempt';
