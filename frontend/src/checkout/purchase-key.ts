/**
 * The idempotency key of one intended purchase. The same cart of the same account gets the
 * same key until its order is placed, across a retry, a reload or a double click, so the
 * platform places it once (`checkout` with a known key answers with the order it placed).
 * A different cart is a different purchase and gets a new key.
 */
export interface KeyStore {
  read(name: string): { fingerprint: string; key: string } | undefined;
  write(name: string, value: { fingerprint: string; key: string }): void;
  remove(name: string): void;
}

export function purchaseKeyName(userId: string): string {
  return `orderly.purchase.${userId}`;
}

/** What makes two carts the same purchase: their SKUs and quantities. */
export function cartFingerprint(lines: readonly { sku: string; quantity: number }[]): string {
  return lines
    .map((line) => `${line.sku}×${line.quantity}`)
    .sort()
    .join(',');
}

export function purchaseKey(
  store: KeyStore,
  userId: string,
  lines: readonly { sku: string; quantity: number }[],
  newKey: () => string,
): string {
  const name = purchaseKeyName(userId);
  const fingerprint = cartFingerprint(lines);
  const stored = store.read(name);
  if (stored?.fingerprint === fingerprint) return stored.key;
  const key = newKey();
  store.write(name, { fingerprint, key });
  return key;
}

/** The purchase is placed: the next cart is a new one. */
export function purchasePlaced(store: KeyStore, userId: string): void {
  store.remove(purchaseKeyName(userId));
}
