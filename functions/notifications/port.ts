/**
 * What the notifications module offers the rest of the platform; nothing else in
 * functions/notifications/ is imported from outside it (besides its entry points).
 */

export { queueMail } from './mail-queue.js';
export { NOTIFICATION_INDEXES, NOTIFICATIONS_COLLECTION } from './notification-document.js';
