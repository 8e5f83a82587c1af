/**
 * The driver's errors for "no server could be reached" (down, failing over, wrong address):
 * worth a retry. Matched by name so that code which only maps errors (every HTTP function,
 * the gateway) does not bundle the driver to recognise them.
 */
const UNREACHABLE = new Set([
  'MongoServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
]);

export function isDatabaseUnreachable(err: unknown): boolean {
  return err instanceof Error && UNREACHABLE.has(err.name);
}
