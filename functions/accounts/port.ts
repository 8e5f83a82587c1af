/**
 * What the accounts module offers the rest of the platform; nothing else in functions/accounts/
 * is imported from outside it (besides its entry points: app, lambda, config).
 */
export { ACCOUNT_INDEXES, accountAccess, readAccountContact } from './account-store.js';
