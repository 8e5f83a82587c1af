import { escapeHtml } from '../../shared/email/escape-html.js';
import type { OutgoingMail } from '../../shared/email/mail-sender.js';
import { formatAmount } from '../../shared/money/minor-units.js';

export type OrderMailKind = 'ORDER_CONFIRMED' | 'ORDER_CANCELLED';

/** What a mail about an order says: the lines and total as they were charged. */
export interface OrderMailFacts {
  kind: OrderMailKind;
  orderId: string;
  customer: { email: string; name: string };
  lines: { name: string; variantTitle?: string; quantity: number; unitPriceCents: number }[];
  totalCents: number;
  currency: string;
  /** Why a cancelled order was cancelled (a CancellationReason). */
  reason?: string;
}

export interface Shop {
  name: string;
  url: string;
}

const REASONS: Record<string, string> = {
  OUT_OF_STOCK: 'some items are out of stock',
  PAYMENT_DECLINED: 'the payment was declined',
  CANCELLED_BY_CUSTOMER: 'you cancelled it',
  RESERVATION_EXPIRED: 'the payment did not arrive in time',
  PROCESSING_FAILED: 'we could not process it; nothing was charged',
};

function lineLabel(line: OrderMailFacts['lines'][number]): string {
  return line.variantTitle && line.variantTitle !== 'Default'
    ? `${line.name} (${line.variantTitle})`
    : line.name;
}

/**
 * The customer's mail about an order: subject, text and HTML parts from the same facts. Pure,
 * so a mail sent again after a crash is the same mail, word for word.
 */
export function composeOrderMail(facts: OrderMailFacts, shop: Shop): OutgoingMail {
  const total = formatAmount(facts.totalCents, facts.currency);
  const confirmed = facts.kind === 'ORDER_CONFIRMED';
  const subject = confirmed
    ? `${shop.name}: order ${facts.orderId} confirmed`
    : `${shop.name}: order ${facts.orderId} cancelled`;
  const lead = confirmed
    ? `Thank you for your order. Order ${facts.orderId} is confirmed.`
    : `Your order ${facts.orderId} was cancelled: ${REASONS[facts.reason ?? ''] ?? facts.reason ?? 'no reason given'}.`;
  const rows = facts.lines.map((line) => ({
    label: lineLabel(line),
    quantity: line.quantity,
    amount: formatAmount(line.unitPriceCents * line.quantity, facts.currency),
  }));
  const link = `${shop.url}/orders/${facts.orderId}`;
  const text = [
    `Hello ${facts.customer.name},`,
    '',
    lead,
    '',
    ...rows.map((row) => `  ${row.quantity} × ${row.label}  ${row.amount}`),
    `  Total  ${total}`,
    '',
    `Your order: ${link}`,
    '',
    shop.name,
  ].join('\n');
  const html = [
    '<!doctype html><html lang="en"><body style="font-family:sans-serif">',
    `<p>Hello ${escapeHtml(facts.customer.name)},</p>`,
    `<p>${escapeHtml(lead)}</p>`,
    '<table role="presentation" cellpadding="4">',
    ...rows.map(
      (row) =>
        `<tr><td>${row.quantity} ×</td><td>${escapeHtml(row.label)}</td><td align="right">${escapeHtml(row.amount)}</td></tr>`,
    ),
    `<tr><td></td><th align="left">Total</th><th align="right">${escapeHtml(total)}</th></tr>`,
    '</table>',
    `<p><a href="${escapeHtml(link)}">See your order</a></p>`,
    `<p>${escapeHtml(shop.name)}</p>`,
    '</body></html>',
  ].join('\n');
  return { to: facts.customer.email, subject, text, html };
}
