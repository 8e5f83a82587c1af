/** The port to a card payment provider; the idempotency key makes every call safe to repeat. */
export interface PaymentProvider {
  authorize(request: AuthorizeRequest): Promise<AuthorizeResult>;
  /** Gives an authorised amount back (a void or a refund, as the provider sees fit). */
  refund(request: RefundRequest): Promise<void>;
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

export interface RefundRequest {
  idempotencyKey: string;
  chargeId: string;
  amountCents: number;
}
