import type { FastifyReply } from 'fastify';
import { escapeHtml } from '../../shared/email/escape-html.js';
import { listSentMail, type SentMail } from '../../shared/email/mail-sender.js';
import type { HttpApp } from '../../shared/http/http-app.js';

export const INBOX_PATH = '/_inbox';

/** No scripts, nothing from elsewhere: the mails' HTML is shown in a sandboxed frame. */
const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-src 'self'; base-uri 'none'; form-action 'none'";
const MAIL_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox";

function page(reply: FastifyReply, title: string, body: string) {
  return reply
    .header('content-security-policy', PAGE_CSP)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>` +
        '<meta name="viewport" content="width=device-width, initial-scale=1">' +
        '<style>body{font-family:sans-serif;margin:1.5rem;max-width:60rem}table{border-collapse:collapse;width:100%}' +
        'td,th{text-align:left;padding:.4rem;border-bottom:1px solid #ccc}pre{white-space:pre-wrap;background:#f6f6f6;padding:1rem}' +
        'iframe{width:100%;height:28rem;border:1px solid #ccc}</style></head>' +
        `<body><main>${body}</main></body></html>`,
    );
}

const newestFirst = (mails: SentMail[]) =>
  [...mails].sort((a, b) => b.Timestamp.localeCompare(a.Timestamp));

/**
 * The local mail inbox: every mail LocalStack's SES sent (its `/_aws/ses` list), newest first,
 * each readable as a customer got it. Only `npm start` serves it; nothing like it exists on AWS.
 */
export function mailInbox(recordUrl: string) {
  return (app: HttpApp) => {
    app.get(INBOX_PATH, { config: { rateLimit: false } }, async (_request, reply) => {
      const mails = newestFirst(await listSentMail(recordUrl));
      const rows = mails
        .map(
          (mail) =>
            `<tr><td>${escapeHtml(mail.Timestamp)}</td><td>${escapeHtml(mail.Destination?.ToAddresses?.join(', ') ?? '')}</td>` +
            `<td><a href="${INBOX_PATH}/${encodeURIComponent(mail.Id)}">${escapeHtml(mail.Subject)}</a></td></tr>`,
        )
        .join('');
      return page(
        reply,
        'Sent mail',
        `<h1>Sent mail</h1><p>${mails.length} sent through LocalStack's SES, newest first.</p>` +
          (mails.length
            ? `<table><thead><tr><th scope="col">Sent (UTC)</th><th scope="col">To</th><th scope="col">Subject</th></tr></thead><tbody>${rows}</tbody></table>`
            : '<p>No mail yet: place an order.</p>'),
      );
    });

    const find = async (id: string) =>
      (await listSentMail(recordUrl)).find((mail) => mail.Id === id);

    app.get<{ Params: { id: string } }>(
      `${INBOX_PATH}/:id`,
      { config: { rateLimit: false } },
      async (request, reply) => {
        const mail = await find(request.params.id);
        if (!mail) return reply.code(404).type('text/plain').send('No such mail');
        const id = encodeURIComponent(mail.Id);
        return page(
          reply,
          mail.Subject,
          `<p><a href="${INBOX_PATH}">All mail</a></p><h1>${escapeHtml(mail.Subject)}</h1>` +
            `<p>From ${escapeHtml(mail.Source)} to ${escapeHtml(mail.Destination?.ToAddresses?.join(', ') ?? '')}, ${escapeHtml(mail.Timestamp)} UTC</p>` +
            (mail.Body.html_part
              ? `<h2>HTML part</h2><iframe title="The mail's HTML part" sandbox src="${INBOX_PATH}/${id}/html"></iframe>`
              : '') +
            `<h2>Text part</h2><pre>${escapeHtml(mail.Body.text_part ?? '')}</pre>`,
        );
      },
    );

    app.get<{ Params: { id: string } }>(
      `${INBOX_PATH}/:id/html`,
      { config: { rateLimit: false } },
      async (request, reply) => {
        const mail = await find(request.params.id);
        if (!mail?.Body.html_part) return reply.code(404).type('text/plain').send('No such mail');
        return reply
          .header('content-security-policy', MAIL_CSP)
          .header('cache-control', 'no-store')
          .type('text/html; charset=utf-8')
          .send(mail.Body.html_part);
      },
    );
  };
}
