import { Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { AppError, ErrorCode, type ErrorDetails, toAppError } from './catalogue.js';

const GRPC_STATUS: Record<ErrorCode, status> = {
  [ErrorCode.BAD_USER_INPUT]: status.INVALID_ARGUMENT,
  [ErrorCode.UNAUTHENTICATED]: status.UNAUTHENTICATED,
  [ErrorCode.FORBIDDEN]: status.PERMISSION_DENIED,
  [ErrorCode.NOT_FOUND]: status.NOT_FOUND,
  [ErrorCode.CONFLICT]: status.ALREADY_EXISTS,
  [ErrorCode.OUT_OF_STOCK]: status.FAILED_PRECONDITION,
  [ErrorCode.INVALID_STATE]: status.FAILED_PRECONDITION,
  // ABORTED is gRPC's "concurrency conflict, retry the sequence"; FAILED_PRECONDITION is final.
  [ErrorCode.IN_PROGRESS]: status.ABORTED,
  // A request too large is final; RESOURCE_EXHAUSTED stays the retry-later rate limit.
  [ErrorCode.PAYLOAD_TOO_LARGE]: status.INVALID_ARGUMENT,
  [ErrorCode.RATE_LIMITED]: status.RESOURCE_EXHAUSTED,
  [ErrorCode.UNAVAILABLE]: status.UNAVAILABLE,
  [ErrorCode.INTERNAL]: status.INTERNAL,
};

/** Where the catalogue code and details travel, beside the gRPC status, in trailing metadata. */
export const ERROR_CODE_KEY = 'orderly-error-code';
export const ERROR_DETAILS_KEY = 'orderly-error-details';

/** The gRPC status for a catalogue code; gRPC errors never carry HTTP numbers. */
export function grpcStatusOf(code: ErrorCode): status {
  return GRPC_STATUS[code];
}

/** A gRPC error for any thrown value; unknown errors become INTERNAL with no details. */
export function toGrpcError(
  err: unknown,
): Partial<ServiceError> & { code: status; details: string } {
  const error = toAppError(err);
  const metadata = new Metadata();
  metadata.set(ERROR_CODE_KEY, error.code);
  if (error.details) metadata.set(ERROR_DETAILS_KEY, JSON.stringify(error.details));
  return { code: grpcStatusOf(error.code), details: error.message, metadata };
}

const CODE_OF_STATUS: Partial<Record<status, ErrorCode>> = {
  [status.INVALID_ARGUMENT]: ErrorCode.BAD_USER_INPUT,
  [status.UNAUTHENTICATED]: ErrorCode.UNAUTHENTICATED,
  [status.PERMISSION_DENIED]: ErrorCode.FORBIDDEN,
  [status.NOT_FOUND]: ErrorCode.NOT_FOUND,
  [status.ALREADY_EXISTS]: ErrorCode.CONFLICT,
  [status.FAILED_PRECONDITION]: ErrorCode.INVALID_STATE,
  [status.ABORTED]: ErrorCode.IN_PROGRESS,
  [status.UNAVAILABLE]: ErrorCode.UNAVAILABLE,
  [status.DEADLINE_EXCEEDED]: ErrorCode.UNAVAILABLE,
  [status.RESOURCE_EXHAUSTED]: ErrorCode.RATE_LIMITED,
};

function isServiceError(err: unknown): err is ServiceError {
  return err instanceof Error && typeof (err as Partial<ServiceError>).code === 'number';
}

/**
 * Turns an error received from a gRPC call back into the catalogue's AppError: the code
 * and details sent by an Orderly server when present, else one derived from the status.
 */
export function fromGrpcError(err: unknown): AppError {
  if (!isServiceError(err)) return toAppError(err);
  const sent = err.metadata?.get(ERROR_CODE_KEY)[0]?.toString();
  const code =
    sent && sent in ErrorCode
      ? (sent as ErrorCode)
      : (CODE_OF_STATUS[err.code] ?? ErrorCode.INTERNAL);
  let details: ErrorDetails | undefined;
  const rawDetails = err.metadata?.get(ERROR_DETAILS_KEY)[0]?.toString();
  if (rawDetails) {
    try {
      details = JSON.parse(rawDetails) as ErrorDetails;
    } catch {
      details = undefined;
    }
  }
  const message = code === ErrorCode.INTERNAL ? 'Internal error' : err.details || err.message;
  return new AppError(code, message, details, { cause: err });
}
