import { escapeHtml } from '../../shared/email/escape-html.js';
import type { OutgoingMail } from '../../shared/email/mail-sender.js';

export interface Shop {
  name: string;
  url: string;
}

function page(paragraphs: string[], link?: { href: string; label: string }): string {
  return [
    '<!doctype html><html lang="en"><body style="font-family:sans-serif">',
    ...paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`),
    ...(link ? [`<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>`] : []),
    '</body></html>',
  ].join('\n');
}

/** The reset mail: a link with the token, valid 30 minutes, once. */
export function composeResetMail(
  to: { email: string; name: string },
  token: string,
  ref: string,
  shop: Shop,
): OutgoingMail {
  const link = `${shop.url}/reset-password?token=${encodeURIComponent(token)}`;
  const lines = [
    `Hello ${to.name},`,
    `Someone asked to reset the password of your ${shop.name} account. If it was you, choose a new password within 30 minutes; the link works once.`,
    'If it was not you, ignore this mail: your password stays as it is.',
  ];
  return {
    to: to.email,
    subject: `${shop.name}: reset your password (request ${ref})`,
    text: `${lines.join('\n\n')}\n\n${link}\n\n${shop.name}`,
    html: page([...lines, shop.name], { href: link, label: 'Choose a new password' }),
  };
}
