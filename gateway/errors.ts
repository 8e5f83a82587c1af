import { type ExecutionResult, GraphQLError } from 'graphql';
import { AppError, type ErrorCode } from '../shared/errors/catalogue.js';
import type { Logger } from '../shared/logger/logger.js';

/** The codes the public contract promises in `extensions.code`. */
export const CONTRACT_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'OUT_OF_STOCK',
  'CONFLICT',
  'INTERNAL',
] as const;
export type ContractCode = (typeof CONTRACT_CODES)[number];

/** The catalogue's codes as GraphQL clients see them. */
const CONTRACT_CODE_OF: Record<ErrorCode, ContractCode> = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  OUT_OF_STOCK: 'OUT_OF_STOCK',
  INVALID_STATE: 'CONFLICT',
  IN_PROGRESS: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'BAD_USER_INPUT',
  RATE_LIMITED: 'FORBIDDEN',
  UNAVAILABLE: 'INTERNAL',
  INTERNAL: 'INTERNAL',
};

const SAFE_MESSAGE: Partial<Record<ErrorCode, string>> = {
  INTERNAL: 'Internal error',
  UNAVAILABLE: 'A service is unavailable for the moment; try again shortly',
};

interface Refusal {
  statusCode: number;
  errors?: unknown;
}

/**
 * An error refusing the request itself before any resolver ran (a 4xx from Mercurius,
 * Fastify's body parser or the rate limiter), if it is one.
 */
export function clientRefusal(error: unknown): Refusal | undefined {
  if (error instanceof AppError || error instanceof GraphQLError) return undefined;
  const candidate = error as Partial<Refusal> | undefined;
  if (typeof candidate?.statusCode !== 'number') return undefined;
  if (candidate.statusCode < 400 || candidate.statusCode >= 500) return undefined;
  return candidate as Refusal;
}

/** The contract code of a refused request, by its HTTP status. */
function refusalCode(statusCode: number): ContractCode {
  if (statusCode === 401) return 'UNAUTHENTICATED';
  if (statusCode === 403 || statusCode === 429) return 'FORBIDDEN';
  if (statusCode === 404) return 'NOT_FOUND';
  return 'BAD_USER_INPUT';
}

function unwrap(error: GraphQLError): unknown {
  let current: unknown = error.originalError;
  // Mercurius and graphql-js may wrap the resolver's error once more.
  while (current instanceof GraphQLError && current.originalError) current = current.originalError;
  return current;
}

/** How the messages of refused requests read. */
export interface ErrorFormatOptions {
  /**
   * graphql-js's "Did you mean ...?" hints name fields and types the query did not: with
   * introspection off they would hand out the schema a guess at a time.
   */
  suggestions: boolean;
}

const SUGGESTION = / ?Did you mean [^?]*\?/g;

/** A message of graphql-js without its "Did you mean" hints, unless they are allowed. */
function requestErrorMessage(message: string, options: ErrorFormatOptions): string {
  return options.suggestions ? message : message.replace(SUGGESTION, '');
}

/**
 * One GraphQL error as clients see it: a contract code in `extensions.code` and a message
 * safe to show. Errors of the request itself (syntax, validation, variables) are
 * BAD_USER_INPUT with graphql-js's message; anything unexpected is INTERNAL, logged in full.
 */
export function formatError(
  error: GraphQLError,
  logger: Logger,
  options: ErrorFormatOptions = { suggestions: false },
): GraphQLError[] {
  const original = unwrap(error);
  // Mercurius reports a refused query (validation, depth) as one error holding the others;
  // Fastify refuses a request (body too large, bad JSON) before GraphQL sees it.
  const refusal = clientRefusal(original);
  if (refusal) {
    const inner = Array.isArray(refusal.errors) ? (refusal.errors as GraphQLError[]) : [];
    const messages = inner.length > 0 ? inner : [error];
    return messages.map(
      (one) =>
        new GraphQLError(requestErrorMessage(one.message, options), {
          ...(one.nodes ? { nodes: one.nodes } : {}),
          ...(one.source ? { source: one.source } : {}),
          ...(one.positions ? { positions: one.positions } : {}),
          extensions: { code: refusalCode(refusal.statusCode) },
        }),
    );
  }
  let code: ContractCode;
  let message: string;
  let details: Record<string, unknown> | undefined;
  // The catalogue's finer code where the contract's is coarser (RATE_LIMITED is FORBIDDEN to the
  // contract): a client can tell "wait and retry" from "not allowed".
  let reason: ErrorCode | undefined;
  if (original instanceof AppError) {
    code = CONTRACT_CODE_OF[original.code];
    if (code !== original.code && code !== 'INTERNAL') reason = original.code;
    message = SAFE_MESSAGE[original.code] ?? original.message;
    details = code === 'INTERNAL' ? undefined : original.details;
    if (code === 'INTERNAL')
      logger.error({ err: original.cause ?? original, path: error.path }, 'resolver failed');
  } else if (original === undefined || original === null) {
    const given = error.extensions?.code;
    code =
      typeof given === 'string' && (CONTRACT_CODES as readonly string[]).includes(given)
        ? (given as ContractCode)
        : 'BAD_USER_INPUT';
    message = requestErrorMessage(error.message, options);
  } else {
    code = 'INTERNAL';
    message = SAFE_MESSAGE.INTERNAL as string;
    logger.error({ err: original, path: error.path }, 'resolver failed');
  }
  return [
    new GraphQLError(message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      extensions: { code, ...(reason ? { reason } : {}), ...(details ? { details } : {}) },
    }),
  ];
}

/** Mercurius's errorFormatter: every error through `formatError`, and the HTTP status. */
export function createErrorFormatter(logger: Logger, options: ErrorFormatOptions) {
  return (execution: ExecutionResult & { errors: readonly GraphQLError[] }, context: unknown) => {
    const log = ((context as { reply?: { request?: { log?: Logger } } })?.reply?.request?.log ??
      logger) as Logger;
    const errors = execution.errors.flatMap((error) => formatError(error, log, options));
    const refusalStatus = execution.errors
      .map((error) => clientRefusal(unwrap(error))?.statusCode ?? 0)
      .reduce((a, b) => Math.max(a, b), 0);
    // No data at all means the request was refused before execution: a client error.
    const refused = execution.data === undefined || execution.data === null;
    const statusCode =
      refusalStatus ||
      (refused && errors.every((e) => e.extensions.code === 'BAD_USER_INPUT') ? 400 : 200);
    return { statusCode, response: { data: execution.data ?? null, errors } };
  };
}
