/**
 * The port to a card payment provider. One payment per order, keyed by the order id: every
 * call is safe to repeat, and a repeat answers what the first call decided.
 */
export interface PaymentProvider {
  /** Asks for the amount on the card; never charges a key twice, never after its cancel. */
  authorize(request: AuthorizeRequest): Promise<AuthorizeResult>;
  /**
   * Ends the payment of a cancelled order: an authorised amount is given back (a void or a
   * refund, as the provider sees fit), and a payment not authorised yet never will be.
   */
  cancel(request: CancelRequest): Promise<CancelResult>;
}

export interface AuthorizeRequest {
  /** One per order: a repeated call returns the first call's result and never charges twice. */
  idempotencyKey: string;
  amountCents: number;
  currency: string;
  /** The card token the storefront got from the provider's client library. */
  token: string;
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
