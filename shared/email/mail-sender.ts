import type { SESClient } from '@aws-sdk/client-ses';
import type { MailConfig } from './mail-config.js';

/** One message to one person, in both parts every client can show. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** The platform's one way to send email. */
export interface MailSender {
  /** Sends; resolves with the service's message id once the service has accepted it. */
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  /**
   * Whether the service already holds this mail (same recipient and subject), for a send whose
   * answer was lost in a crash; undefined when the service keeps no list to ask (SES).
   */
  wasSent?(mail: OutgoingMail): Promise<boolean>;
  close(): void;
}

/** LocalStack's fixed credentials (any value is accepted; these are its documented ones). */
const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

type SesSdk = typeof import('@aws-sdk/client-ses');

/**
 * The SES library, loaded at the first mail rather than at import: most of a function's
 * requests send none, and the SDK's modules are ~150 ms of a cold start
 * (bench/functions/cold-start.ts).
 */
let sesSdk: Promise<SesSdk> | undefined;
function loadSes(): Promise<SesSdk> {
  if (sesSdk) return sesSdk;
  const loading = import('@aws-sdk/client-ses');
  sesSdk = loading;
  // A failed load is tried again by the next mail.
  loading.catch(() => {
    if (sesSdk === loading) sesSdk = undefined;
  });
  return loading;
}

function sesClient(
  { SESClient }: SesSdk,
  config: Pick<MailConfig, 'region' | 'endpoint'>,
): SESClient {
  return new SESClient({
    region: config.region,
    // Shorter than a mail's claim (mail-delivery.ts): a hung send is given up before the
    // claim passes to another sender.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 10_000 },
    ...(config.endpoint ? { endpoint: config.endpoint, credentials: LOCAL_CREDENTIALS } : {}),
  });
}

/** The address inside `Name <address>`. */
export function addressOf(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1] ?? from;
}

/**
 * Amazon SES (its v1 API, which LocalStack's community edition serves whole): the same code
 * against AWS and against LocalStack, where every sent mail is kept and listed at `/_aws/ses`.
 */
export function sesMailSender(config: MailConfig): MailSender {
  let client: { sdk: SesSdk; ses: SESClient } | undefined;
  let closed = false;
  const ready = async () => {
    if (!client) {
      const sdk = await loadSes();
      // Closed while the SDK loaded: no client is opened behind the close.
      if (closed) throw new Error('the mail sender is closed');
      client ??= { sdk, ses: sesClient(sdk, config) };
    }
    return client;
  };
  const record = config.sentMailRecordUrl;
  return {
    async send(mail) {
      const { sdk, ses } = await ready();
      const sent = await ses.send(
        new sdk.SendEmailCommand({
          Source: config.from,
          Destination: { ToAddresses: [mail.to] },
          Message: {
            Subject: { Data: mail.subject, Charset: 'UTF-8' },
            Body: {
              Text: { Data: mail.text, Charset: 'UTF-8' },
              Html: { Data: mail.html, Charset: 'UTF-8' },
            },
          },
        }),
      );
      return { messageId: sent.MessageId ?? '' };
    },
    ...(record
      ? {
          async wasSent(mail: OutgoingMail) {
            const list = await listSentMail(record, config.from);
            return list.some(
              (sent) =>
                sent.Subject === mail.subject && sent.Destination?.ToAddresses?.includes(mail.to),
            );
          },
        }
      : {}),
    close: () => {
      closed = true;
      client?.ses.destroy();
    },
  };
}

/** A mail as LocalStack lists it at `/_aws/ses`. */
export interface SentMail {
  Id: string;
  Source: string;
  Destination?: { ToAddresses?: string[] };
  Subject: string;
  Body: { text_part?: string | null; html_part?: string | null };
  Timestamp: string;
}

/** Every mail LocalStack's SES sent from `source` (its Source exactly, name and all), or all. */
export async function listSentMail(recordUrl: string, source?: string): Promise<SentMail[]> {
  const url = source ? `${recordUrl}?email=${encodeURIComponent(source)}` : recordUrl;
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return ((await response.json()) as { messages: SentMail[] }).messages;
}

/**
 * Makes the sender an identity SES may send from. Locally this is what `npm start` and the
 * tests do on LocalStack (which refuses unverified senders, as SES's sandbox does); on AWS the
 * operator verifies the shop's domain once (docs/user-guide.md).
 */
export async function verifyLocalSender(
  config: Pick<MailConfig, 'region' | 'endpoint' | 'from'>,
): Promise<void> {
  const sdk = await loadSes();
  const ses = sesClient(sdk, config);
  try {
    await ses.send(new sdk.VerifyEmailIdentityCommand({ EmailAddress: addressOf(config.from) }));
  } finally {
    ses.destroy();
  }
}
