/**
 * Values published in this repository for local runs. A deployed stage refuses each of them
 * (production-safety.ts): anyone who read the repository would know them.
 */

/** Signs tokens when JWT_SECRET is unset on a developer's machine. */
export const LOCAL_JWT_SECRET = 'orderly-local-development-secret-not-for-production';

/** The admin `npm start` creates on a developer's machine. */
export const LOCAL_ADMIN = { email: 'admin@orderly.local', password: 'orderly-admin-1' } as const;

/** The sender of the platform's mails on a developer's machine (LocalStack's SES). */
export const LOCAL_MAIL_FROM = 'Orderly <shop@orderly.local>';
