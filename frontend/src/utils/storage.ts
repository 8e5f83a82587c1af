/**
 * JSON values in localStorage, tolerant of a browser that refuses storage (private mode,
 * quota): the shop then keeps them for this page only.
 */
const memory = new Map<string, string>();

export function readStored<T>(key: string, fallback: T): T {
  let text: string | null | undefined;
  try {
    text = localStorage.getItem(key);
  } catch {
    text = memory.get(key);
  }
  if (text === null || text === undefined) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function writeStored(key: string, value: unknown): void {
  const text = JSON.stringify(value);
  try {
    localStorage.setItem(key, text);
  } catch {
    memory.set(key, text);
  }
}

export function removeStored(key: string): void {
  memory.delete(key);
  try {
    localStorage.removeItem(key);
  } catch {
    // Storage refused: nothing was stored there.
  }
}
