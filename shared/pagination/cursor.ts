import { badUserInput } from '../errors/catalogue.js';

/** Position after an item in a newest-first list: its creation time and id (the tie-breaker). */
export interface CursorPosition {
  createdAt: Date;
  id: string;
}

/** Opaque to clients: base64url of `{t, id}`. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify({ t: position.createdAt.getTime(), id: position.id })).toString(
    'base64url',
  );
}

export function decodeCursor(cursor: string, field = 'after'): CursorPosition {
  try {
    const { t, id } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof t === 'number' && Number.isFinite(t) && typeof id === 'string' && id.length > 0) {
      return { createdAt: new Date(t), id };
    }
  } catch {
    // reported below
  }
  throw badUserInput(`${field} is not a cursor this API returned`, { field });
}
