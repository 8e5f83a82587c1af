import { useState } from 'preact/hooks';

/**
 * Cursor paging as "Show more": the cursors of the pages loaded so far (the first page has
 * none), each rendered by its own query, and one more appended per click.
 */
export function useCursorPages() {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  return { cursors, more: (cursor: string) => setCursors((list) => [...list, cursor]) };
}

/** The button that loads the page after `pageInfo`, when there is one. */
export function ShowMore({
  pageInfo,
  label,
  onMore,
  className = 'button',
}: {
  pageInfo: { hasNextPage: boolean; endCursor?: string | null | undefined } | undefined;
  label: string;
  onMore: (cursor: string) => void;
  className?: string;
}) {
  const cursor = pageInfo?.hasNextPage ? pageInfo.endCursor : undefined;
  if (!cursor) return null;
  return (
    <button type="button" class={className} onClick={() => onMore(cursor)}>
      {label}
    </button>
  );
}
