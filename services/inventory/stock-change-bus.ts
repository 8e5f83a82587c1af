import type { StockLevel } from './domain/model.js';

type Subscriber = (level: StockLevel) => void;

/**
 * Fans stock changes out to the WatchStock streams of this process, by SKU. Changes made by
 * other inventory replicas reach their own watchers (and everyone through Kafka).
 */
export class StockChangeBus {
  private readonly subscribers = new Map<string, Set<Subscriber>>();

  /** Calls `subscriber` on each change of the given SKUs until the returned function is called. */
  subscribe(skus: readonly string[], subscriber: Subscriber): () => void {
    const unique = [...new Set(skus)];
    for (const sku of unique) {
      let set = this.subscribers.get(sku);
      if (!set) {
        set = new Set();
        this.subscribers.set(sku, set);
      }
      set.add(subscriber);
    }
    return () => {
      for (const sku of unique) {
        const set = this.subscribers.get(sku);
        set?.delete(subscriber);
        if (set?.size === 0) this.subscribers.delete(sku);
      }
    };
  }

  notify(level: StockLevel): void {
    for (const subscriber of this.subscribers.get(level.sku) ?? []) subscriber(level);
  }

  /** Number of SKUs with at least one watcher (for tests and metrics). */
  get watchedSkus(): number {
    return this.subscribers.size;
  }
}
