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

/**
 * To an address's owner when someone registers with it: registration answers as for a free
 * address, so this mail is how the owner (perhaps the one who registered, having forgotten)
 * learns of it. It names no password and holds no link that acts by itself.
 */
export function composeSignupAttemptMail(
  to: { email: string; name: string },
  shop: Shop,
): OutgoingMail {
  const lines = [
    `Hello ${to.name},`,
    `Someone created a new ${shop.name} account with this address, which already has yours. Your account, its password and its orders are unchanged, and the new account cannot see them.`,
    'If it was you, sign in with the password of your existing account, or choose a new one if you have forgotten it.',
    'If it was not you, there is nothing to do.',
  ];
  const link = `${shop.url}/forgot-password`;
  return {
    to: to.email,
    subject: `${shop.name}: a new account was made with your address`,
    text: `${lines.join('\n\n')}\n\n${link}\n\n${shop.name}`,
    html: page([...lines, shop.name], { href: link, label: 'Forgot your password?' }),
  };
}
