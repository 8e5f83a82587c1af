/** Money and dates in the shopper's own locale, with the platform's currency codes. */

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** `1200, 'EUR'` → "€12.00" (or "12,00 €", by locale). Amounts are integer minor units. */
export function formatMoney(cents: number, currency: string): string {
  let format = moneyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
    moneyFormats.set(currency, format);
  }
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(cents / 10 ** digits);
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'medium',
});

/** An ISO timestamp as a local date and time. */
export function formatDateTime(iso: string): string {
  return dateTimeFormat.format(new Date(iso));
}

const STATUS_LABELS: Record<string, string> = {
  PENDING: 'Pending',
  RESERVED: 'Stock reserved',
  CONFIRMED: 'Confirmed',
  CANCELLED: 'Cancelled',
};

export function statusLabel(status: string): string {
  return STATUS_LABELS[status] ?? status;
}

const REASON_LABELS: Record<string, string> = {
  OUT_OF_STOCK: 'out of stock',
  PAYMENT_DECLINED: 'payment declined',
  CANCELLED_BY_CUSTOMER: 'cancelled by you',
  RESERVATION_EXPIRED: 'the reservation expired',
  PROCESSING_FAILED: 'it could not be processed',
};

export function reasonLabel(reason: string): string {
  return REASON_LABELS[reason] ?? reason.toLowerCase().replaceAll('_', ' ');
}
