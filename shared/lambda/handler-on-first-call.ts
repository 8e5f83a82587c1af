/** A Lambda handler: one event in, one answer out, and an orderly stop. */
type Handler = ((...args: never[]) => Promise<unknown>) & { close?(): Promise<void> };

/**
 * The handler `create` makes, made on the first invocation rather than when the module is
 * imported: configuration is read then (a bad one fails that invocation with every problem
 * listed, and the next invocation reads it again), and importing an entry point needs no
 * environment at all.
 */
export function handlerOnFirstCall<H extends Handler>(create: () => H): H {
  let created: H | undefined;
  const entry = ((...args: Parameters<H>) => {
    created ??= create();
    return created(...args);
  }) as H;
  entry.close = async () => {
    await created?.close?.();
  };
  return entry;
}
