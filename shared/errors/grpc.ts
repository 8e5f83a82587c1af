import { status } from '@grpc/grpc-js';
import { ErrorCode } from './catalogue.js';

const GRPC_STATUS: Record<ErrorCode, status> = {
  [ErrorCode.BAD_USER_INPUT]: status.INVALID_ARGUMENT,
  [ErrorCode.UNAUTHENTICATED]: status.UNAUTHENTICATED,
  [ErrorCode.FORBIDDEN]: status.PERMISSION_DENIED,
  [ErrorCode.NOT_FOUND]: status.NOT_FOUND,
  [ErrorCode.CONFLICT]: status.ALREADY_EXISTS,
  [ErrorCode.OUT_OF_STOCK]: status.FAILED_PRECONDITION,
  [ErrorCode.PAYLOAD_TOO_LARGE]: status.RESOURCE_EXHAUSTED,
  [ErrorCode.RATE_LIMITED]: status.RESOURCE_EXHAUSTED,
  [ErrorCode.UNAVAILABLE]: status.UNAVAILABLE,
  [ErrorCode.INTERNAL]: status.INTERNAL,
};

/** The gRPC status for a catalogue code; gRPC errors never carry HTTP numbers. */
export function grpcStatusOf(code: ErrorCode): status {
  return GRPC_STATUS[code];
}
