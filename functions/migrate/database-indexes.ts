import type { CollectionIndexes } from '../../shared/mongo/mongo-client.js';
import { ACCOUNT_INDEXES } from '../accounts/port.js';
import { CATALOG_INDEXES } from '../catalog/port.js';
import { NOTIFICATION_INDEXES } from '../notifications/port.js';
import { ORDER_INDEXES } from '../orders/port.js';

/**
 * Every index the functions rely on, as each owner declares it next to the code that needs it.
 * Carts need none beyond `_id`. The inventory service, a long-running server, makes its own
 * when it starts.
 */
export const DATABASE_INDEXES: readonly CollectionIndexes[] = [
  ...ACCOUNT_INDEXES,
  ...CATALOG_INDEXES,
  ...ORDER_INDEXES,
  ...NOTIFICATION_INDEXES,
];
