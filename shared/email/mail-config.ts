import type { RuntimeConfig } from '../config/config.js';
import type { EnvReader } from '../config/env-reader.js';
import { LOCAL_MAIL_FROM } from '../config/local-defaults.js';

/** How the platform sends email: Amazon SES on AWS, LocalStack's SES locally. */
export interface MailConfig {
  /** The sender, `Name <address>`; on AWS an identity verified in SES (MAIL_FROM). */
  from: string;
  /** The shop's name, in every mail's subject line and signature (SHOP_NAME). */
  shopName: string;
  /** The storefront's address, for links in mails (SHOP_URL). */
  shopUrl: string;
  region: string;
  /** LocalStack's address (AWS_ENDPOINT_URL); unset on AWS. */
  endpoint: string | undefined;
  /**
   * Where the mail service lists what it sent (LocalStack's `/_aws/ses`), when it has such a
   * list; SES has none. A send cut off by a crash is then looked up there before it is made
   * again (functions/notifications/mail-delivery.ts).
   */
  sentMailRecordUrl: string | undefined;
}

const LOCAL_ENDPOINT = 'http://127.0.0.1:4566';
const ADDRESS = /^([^<>]*<)?[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>?$/;

/** The shop as its mails name it and link to it (SHOP_NAME, SHOP_URL). */
export function readShopConfig(
  env: EnvReader,
  runtime: RuntimeConfig,
): { shopName: string; shopUrl: string } {
  const local = runtime.nodeEnv !== 'production';
  const shopUrl = env
    .string('SHOP_URL', local ? 'http://127.0.0.1:4000' : undefined)
    .replace(/\/+$/, '');
  if (shopUrl && !/^https?:\/\/\S+$/.test(shopUrl)) {
    env.report(`SHOP_URL must be an http(s) URL, got "${shopUrl}"`);
  }
  return { shopName: env.string('SHOP_NAME', 'Orderly'), shopUrl };
}

export function readMailConfig(env: EnvReader, runtime: RuntimeConfig): MailConfig {
  const local = runtime.nodeEnv !== 'production';
  const endpoint = env.optionalString('AWS_ENDPOINT_URL') ?? (local ? LOCAL_ENDPOINT : undefined);
  const from = env.string('MAIL_FROM', local ? LOCAL_MAIL_FROM : undefined);
  if (from && !ADDRESS.test(from)) {
    env.report(`MAIL_FROM must be an address or "Name <address>", got "${from}"`);
  }
  const record = env.optionalString('MAIL_SENT_RECORD_URL');
  return {
    from,
    ...readShopConfig(env, runtime),
    region: env.string('AWS_REGION', local ? 'us-east-1' : undefined),
    endpoint,
    sentMailRecordUrl: record ?? (local && endpoint ? `${endpoint}/_aws/ses` : undefined),
  };
}
