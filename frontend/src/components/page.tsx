import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';

/**
 * A page's heading and title. The heading takes the focus when the page opens (after
 * navigation), so a screen reader announces where the shopper now is.
 */
export function Page({ title, children }: { title: string; children: ComponentChildren }) {
  useEffect(() => {
    document.title = `${title} · Orderly shop`;
  }, [title]);
  return (
    <>
      <h1 tabIndex={-1} id="page-heading">
        {title}
      </h1>
      {children}
    </>
  );
}
