import { formatMoney } from '../utils/format.js';

export function Money({ cents, currency }: { cents: number; currency: string }) {
  return <span class="money">{formatMoney(cents, currency)}</span>;
}
