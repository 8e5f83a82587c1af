import { type AppError, ErrorCode, type ErrorDetails, toAppError } from './catalogue.js';

const HTTP_STATUS: Record<ErrorCode, number> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.OUT_OF_STOCK]: 409,
  [ErrorCode.INVALID_STATE]: 409,
  // Retry-later answers are 429 or 503, never a status a final refusal uses.
  [ErrorCode.IN_PROGRESS]: 503,
  [ErrorCode.PAYLOAD_TOO_LARGE]: 413,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.UNAVAILABLE]: 503,
  [ErrorCode.INTERNAL]: 500,
};

/** The JSON body every HTTP function returns for an error. */
export interface HttpErrorBody {
  error: { code: ErrorCode; message: string; details?: ErrorDetails };
}

export function httpStatusOf(code: ErrorCode): number {
  return HTTP_STATUS[code];
}

/** Maps any thrown value to an HTTP status and a body that reveals no internals. */
export function toHttpError(err: unknown): {
  status: number;
  body: HttpErrorBody;
  error: AppError;
} {
  const error = toAppError(err);
  const body: HttpErrorBody = { error: { code: error.code, message: error.message } };
  if (error.details) body.error.details = error.details;
  return { status: httpStatusOf(error.code), body, error };
}
