import { SpanKind } from '@opentelemetry/api';
import { AppError, ErrorCode, INTERNAL_MESSAGE } from '../shared/errors/catalogue.js';
import { inSpan } from '../shared/telemetry/trace-context.js';
import { activeTracer } from '../shared/telemetry/tracing.js';
import type {
  FunctionInvoker,
  FunctionName,
  FunctionRequest,
} from './invokers/function-invoker.js';

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

/** The caller's identity and the request's id, passed on to every function it calls. */
export interface CallerContext {
  authorization?: string;
  requestId?: string;
  forwardedClient?: FunctionRequest['forwardedClient'];
}

type OwnRequest = Omit<FunctionRequest, keyof CallerContext>;

/**
 * Calls functions for one GraphQL request: passes the caller's token on, and turns a function's error answer back into the catalogue's
 * AppError with the same code and client-safe message.
 */
export class FunctionClient {
  constructor(
    private readonly invoker: FunctionInvoker,
    private readonly caller: CallerContext,
  ) {}

  async call<T>(fn: FunctionName, request: OwnRequest): Promise<T> {
    // A CLIENT span per call; the invoker writes its context into the request's headers.
    const response = await inSpan(
      activeTracer('gateway'),
      `${request.method} ${fn}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'orderly.function': fn,
          'http.request.method': request.method,
          'url.path': request.path,
        },
      },
      async (span) => {
        const answer = await this.invoker.invoke(fn, { ...request, ...this.caller });
        span.setAttribute('http.response.status_code', answer.statusCode);
        return answer;
      },
    );
    if (response.statusCode < 400) return response.body as T;
    const error = (response.body as ErrorBody | null)?.error;
    const code =
      typeof error?.code === 'string' && KNOWN_CODES.has(error.code) ? error.code : 'INTERNAL';
    const message =
      code !== 'INTERNAL' && typeof error?.message === 'string' ? error.message : INTERNAL_MESSAGE;
    const details =
      error?.details && typeof error.details === 'object'
        ? (error.details as Record<string, unknown>)
        : undefined;
    throw new AppError(code as ErrorCode, message, details);
  }

  /** `call`, but NOT_FOUND (and, when asked, UNAUTHENTICATED) is null. */
  async callOrNull<T>(
    fn: FunctionName,
    request: OwnRequest,
    alsoNullOn: readonly ErrorCode[] = [],
  ): Promise<T | null> {
    try {
      return await this.call<T>(fn, request);
    } catch (err) {
      if (err instanceof AppError && (err.code === 'NOT_FOUND' || alsoNullOn.includes(err.code))) {
        return null;
      }
      throw err;
    }
  }
}
