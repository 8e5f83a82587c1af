import { useSubscription } from '@urql/preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { StockChanged, StockQuery } from '../graphql/documents.js';
import { useSession, useSocketState } from '../session/session.js';

export interface StockLevel {
  sku: string;
  available: number;
  reserved: number;
}

type StockMap = Record<string, StockLevel>;

/**
 * Live stock for the given SKUs: what the page loaded, then every `stockChanged` pushed over
 * the socket. When the socket comes back after a drop, the levels are read once more, so a
 * change missed meanwhile does not linger.
 */
export function useLiveStock(initial: readonly StockLevel[]): StockMap {
  const key = initial
    .map((level) => level.sku)
    .sort()
    .join('\n');
  const skus = useMemo(() => (key ? key.split('\n') : []), [key]);
  const [pushed, setPushed] = useState<StockMap>({});
  const { client } = useSession();
  const socket = useSocketState();
  const wasDown = useRef(false);

  useSubscription(
    { query: StockChanged, variables: { skus }, pause: skus.length === 0 },
    (_previous, data) => {
      setPushed((levels) => ({ ...levels, [data.stockChanged.sku]: data.stockChanged }));
      return data;
    },
  );

  useEffect(() => {
    if (socket === 'closed') wasDown.current = true;
    if (socket !== 'connected' || !wasDown.current || skus.length === 0) return;
    wasDown.current = false;
    void client.urql
      .query(StockQuery, { skus }, { requestPolicy: 'network-only' })
      .toPromise()
      .then((result) => {
        const levels = result.data?.stock ?? [];
        setPushed((current) => ({
          ...current,
          ...Object.fromEntries(levels.map((level) => [level.sku, level])),
        }));
      });
  }, [socket, skus, client]);

  return useMemo(() => {
    const map: StockMap = {};
    for (const level of initial) map[level.sku] = pushed[level.sku] ?? level;
    return map;
  }, [initial, pushed]);
}

export function stockText(level: StockLevel | undefined): string {
  if (!level) return 'Stock unknown';
  if (level.available <= 0) return 'Out of stock';
  if (level.available <= 5) return `Only ${level.available} left`;
  return `${level.available} in stock`;
}

/** The stock of one product, announced politely when it changes. */
export function StockBadge({ level }: { level: StockLevel | undefined }) {
  const tone = !level || level.available <= 0 ? 'out' : level.available <= 5 ? 'low' : 'in';
  return (
    <p class={`stock stock-${tone}`} aria-live="polite" data-sku={level?.sku}>
      {stockText(level)}
    </p>
  );
}
