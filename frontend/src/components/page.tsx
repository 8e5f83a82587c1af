import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/** Set by a navigation; the next page heading to appear takes the focus. */
let focusPending = false;

/** After a navigation, the new page's heading takes the focus (and the screen reader's). */
export function focusNextHeading(): void {
  focusPending = true;
}

/**
 * A page's heading and title. After a navigation the heading takes the focus once it is
 * shown (a page that is still loading shows it later), so a screen reader announces where
 * the shopper now is.
 */
export function Page({ title, children }: { title: string; children: ComponentChildren }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Orderly shop`;
  }, [title]);
  useEffect(() => {
    if (!focusPending) return;
    focusPending = false;
    heading.current?.focus();
  }, []);
  return (
    <>
      <h1 tabIndex={-1} id="page-heading" ref={heading}>
        {title}
      </h1>
      {children}
    </>
  );
}
