import { flushTelemetryOnLambda, telemetryReady } from '../telemetry/telemetry.js';

/** A Lambda handler: one event in, one answer out, and an orderly stop. */
type Handler = ((...args: never[]) => Promise<unknown>) & { close?(): Promise<void> };

/**
 * The handler `create` makes, made on the first invocation rather than when the module is
 * imported: configuration is read then (a bad one fails that invocation with every problem
 * listed, and the next invocation reads it again), and importing an entry point needs no
 * environment at all. Telemetry is loaded before the first invocation, and what each
 * invocation recorded is sent before it answers.
 */
export function handlerOnFirstCall<H extends Handler>(create: () => H): H {
  let created: H | undefined;
  const entry = (async (...args: Parameters<H>) => {
    await telemetryReady();
    created ??= create();
    try {
      return await created(...args);
    } finally {
      await flushTelemetryOnLambda();
    }
  }) as unknown as H;
  entry.close = async () => {
    await created?.close?.();
  };
  return entry;
}
