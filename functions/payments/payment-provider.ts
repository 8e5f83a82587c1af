/**
 * The port to a card payment provider. One payment per order, keyed by the order id: every
 * call is safe to repeat, and a repeat answers what the first call decided.
 */
export interface PaymentProvider {
  /**
   * Opens the payment of an order with the shopper's card token, which the provider keeps:
   * nothing is charged yet, and from here on the payment is named by its key and reference
   * alone, so the token is used once and kept nowhere on Orderly's side.
   */
  prepare(request: PrepareRequest): Promise<PrepareResult>;
  /** Asks for the amount on the card; never charges a key twice, never after its cancel. */
  authorize(request: AuthorizeRequest): Promise<AuthorizeResult>;
  /**
   * Ends the payment of a cancelled order: an authorised amount is given back (a void or a
   * refund, as the provider sees fit), and a payment not authorised yet never will be.
   */
  cancel(request: CancelRequest): Promise<CancelResult>;
}

export interface PrepareRequest {
  /** One per order: a repeated call keeps the first call's payment and token. */
  idempotencyKey: string;
  amountCents: number;
  currency: string;
  /** The card token the storefront got from the provider's client library. */
  token: string;
}

export interface PrepareResult {
  /** The provider's name for the payment (a PaymentIntent's id, say): the order keeps it. */
  reference: string;
}

export interface AuthorizeRequest {
  /** One per order: a repeated call returns the first call's result and never charges twice. */
  idempotencyKey: string;
  /** What `prepare` answered. */
  reference: string;
  amountCents: number;
  currency: string;
}

export type AuthorizeResult =
  | { outcome: 'AUTHORIZED'; chargeId: string }
  | { outcome: 'DECLINED'; chargeId: string; declineCode: string };

export interface CancelRequest {
  idempotencyKey: string;
}

/** `refunded`: an authorised amount was given back (by this call or an earlier one). */
export interface CancelResult {
  refunded: boolean;
  chargeId: string | null;
  amountCents: number;
}
