/**
 * A promise a test opens by hand, to stop one side of a race at a chosen point: the code under
 * test awaits `opened`, the test calls `open()` when the other side has got where it wants.
 */
export function gate(): { opened: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}
