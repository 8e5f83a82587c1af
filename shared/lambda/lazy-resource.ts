/**
 * Something a Lambda execution environment creates once, on first use, and reuses across
 * invocations (clients, apps). A failed start is forgotten, so the next invocation tries again.
 */
export interface LazyResource<T> {
  get(): Promise<T>;
  /** Closes the resource if it was started; the next `get` starts it again. */
  close(): Promise<void>;
}

export function lazyResource<T>(
  start: () => Promise<T>,
  close: (resource: T) => Promise<void>,
): LazyResource<T> {
  let started: Promise<T> | undefined;
  return {
    get() {
      if (!started) {
        const starting = start();
        started = starting;
        starting.catch(() => {
          if (started === starting) started = undefined;
        });
      }
      return started;
    },
    async close() {
      const running = started;
      started = undefined;
      const resource = await running?.catch(() => undefined);
      if (resource !== undefined) await close(resource);
    },
  };
}
