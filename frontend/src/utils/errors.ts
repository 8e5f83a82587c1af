import type { CombinedError } from '@urql/core';

/** What a shopper is told for each of the platform's stable error codes. */
const MESSAGES: Record<string, string> = {
  UNAUTHENTICATED: 'Please sign in again.',
  FORBIDDEN: 'You are not allowed to do that.',
  RATE_LIMITED: 'Too many attempts. Please wait a minute and try again.',
  UNAVAILABLE: 'The shop is busy right now. Please try again in a moment.',
  INTERNAL: 'Something went wrong on our side. Please try again.',
};

/** The error's code (`extensions.code`, or `extensions.reason` when more precise). */
export function errorCode(error: CombinedError | undefined): string | undefined {
  const first = error?.graphQLErrors[0];
  const extensions = first?.extensions as { code?: string; reason?: string } | undefined;
  return extensions?.reason ?? extensions?.code;
}

/**
 * A message to show for a failed request: the server's own words for input and stock
 * problems (they name the field or the SKU), a plain sentence for the rest.
 */
export function errorMessage(error: CombinedError | undefined): string {
  if (!error) return '';
  if (error.networkError) return 'The shop cannot be reached. Check your connection and retry.';
  const code = errorCode(error);
  const known = code ? MESSAGES[code] : undefined;
  return known ?? error.graphQLErrors[0]?.message ?? error.message;
}
