/**
 * Digits after the decimal point of a currency's amounts (ISO 4217), where not 2: an amount
 * in JPY has none, one in KWD three.
 */
const MINOR_DIGITS: Record<string, number> = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
};

export function minorDigits(currency: string): number {
  return MINOR_DIGITS[currency] ?? 2;
}

/** 1990 in EUR → "19.90"; 500 in JPY → "500". */
export function formatPrice(cents: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(cents);
  const text = String(cents).padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** An amount as a statement writes it: "19.90 EUR", exact to the minor unit. */
export function formatAmount(cents: number, currency: string): string {
  return `${formatPrice(cents, currency)} ${currency}`;
}
