import type { FastifyError } from 'fastify';
import {
  AppError,
  ErrorCode,
  INTERNAL_MESSAGE,
  isAppError,
  toAppError,
} from '../errors/catalogue.js';
import { isDatabaseUnreachable } from '../mongo/database-unreachable.js';

const CODE_OF_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.BAD_USER_INPUT,
  401: ErrorCode.UNAUTHENTICATED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  409: ErrorCode.CONFLICT,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  415: ErrorCode.BAD_USER_INPUT,
  429: ErrorCode.RATE_LIMITED,
  503: ErrorCode.UNAVAILABLE,
};

interface ValidationIssue {
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

/** `body.email`, `querystring.limit`, `params.id`: where the offending value was. */
function fieldOf(context: string | undefined, issue: ValidationIssue): string {
  const path = issue.instancePath.split('/').filter(Boolean);
  const missing = issue.params.missingProperty;
  if (typeof missing === 'string') path.push(missing);
  const extra = issue.params.additionalProperty;
  if (typeof extra === 'string') path.push(extra);
  return [context ?? 'body', ...path].join('.');
}

/**
 * Maps anything a route or Fastify itself throws onto the catalogue: schema validation
 * failures become BAD_USER_INPUT naming the field, Fastify's client errors (body too large,
 * malformed JSON, unsupported media type) keep their meaning, an unreachable database is
 * UNAVAILABLE (the client may retry), and anything else is INTERNAL.
 */
export function catalogueErrorOf(err: unknown): AppError {
  if (isAppError(err)) return err;
  const fastifyError = err as Partial<FastifyError> & { validation?: ValidationIssue[] };
  const first = fastifyError.validation?.[0];
  if (first) {
    const field = fieldOf(fastifyError.validationContext, first);
    return new AppError(ErrorCode.BAD_USER_INPUT, `${field} ${first.message ?? 'is invalid'}`, {
      field,
    });
  }
  if (isDatabaseUnreachable(err)) {
    return new AppError(
      ErrorCode.UNAVAILABLE,
      'The database is not reachable at the moment; try again shortly',
      undefined,
      { cause: err },
    );
  }
  const status = fastifyError.statusCode;
  const code = status !== undefined ? CODE_OF_STATUS[status] : undefined;
  if (code && status !== undefined && status < 500) {
    return new AppError(code, fastifyError.message ?? INTERNAL_MESSAGE, undefined, { cause: err });
  }
  return toAppError(err);
}
