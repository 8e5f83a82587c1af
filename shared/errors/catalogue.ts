/**
 * The one error catalogue of the platform. Every failure a client can see carries one of
 * these stable codes; each transport maps them (HTTP status, GraphQL `extensions.code`,
 * gRPC status) in its own adapter, so domain code never knows which transport it serves.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  OUT_OF_STOCK: 'OUT_OF_STOCK',
  /** The operation does not apply to the resource's current state (release after commit). */
  INVALID_STATE: 'INVALID_STATE',
  /**
   * Another call is still changing the resource (a reservation being made): the same request
   * succeeds or gets a final answer if sent again shortly. Never a final refusal.
   */
  IN_PROGRESS: 'IN_PROGRESS',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  RATE_LIMITED: 'RATE_LIMITED',
  UNAVAILABLE: 'UNAVAILABLE',
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * The codes that mean "the same request may succeed later"; every other code is a final
 * answer for that request. Each transport keeps them apart from the final ones.
 */
export const RETRY_LATER_CODES: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.IN_PROGRESS,
  ErrorCode.RATE_LIMITED,
  ErrorCode.UNAVAILABLE,
]);

/** Extra, client-safe facts about an error: the offending field, the SKUs lacking stock. */
export type ErrorDetails = Record<string, unknown>;

/** An error whose code and message are safe to show to the caller. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, message: string, details?: ErrorDetails, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

/** The message shown for failures whose cause must stay private. */
export const INTERNAL_MESSAGE = 'Internal error';

export const badUserInput = (message: string, details?: ErrorDetails) =>
  new AppError(ErrorCode.BAD_USER_INPUT, message, details);
export const unauthenticated = (message = 'Authentication required') =>
  new AppError(ErrorCode.UNAUTHENTICATED, message);
export const forbidden = (message = 'Not allowed') => new AppError(ErrorCode.FORBIDDEN, message);
export const notFound = (message: string, details?: ErrorDetails) =>
  new AppError(ErrorCode.NOT_FOUND, message, details);
export const conflict = (message: string, details?: ErrorDetails) =>
  new AppError(ErrorCode.CONFLICT, message, details);
export const outOfStock = (message: string, details?: ErrorDetails) =>
  new AppError(ErrorCode.OUT_OF_STOCK, message, details);
export const invalidState = (message: string, details?: ErrorDetails) =>
  new AppError(ErrorCode.INVALID_STATE, message, details);
export const inProgress = (message: string, details?: ErrorDetails) =>
  new AppError(ErrorCode.IN_PROGRESS, message, details);
export const unavailable = (message: string, cause?: unknown) =>
  new AppError(ErrorCode.UNAVAILABLE, message, undefined, { cause });

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/**
 * Normalises anything thrown into an AppError. Unknown errors become INTERNAL with a
 * generic message; the original stays in `cause` for the logs, never for the client.
 */
export function toAppError(err: unknown): AppError {
  if (isAppError(err)) return err;
  return new AppError(ErrorCode.INTERNAL, INTERNAL_MESSAGE, undefined, { cause: err });
}
