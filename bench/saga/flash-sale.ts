import type { Logger } from '../../shared/logger/logger.js';
import { CheckoutHarness } from '../../test-support/checkout-harness.js';
import { uniqueName } from '../../test-support/integration-env.js';
import { percentile } from '../lib/closed-loop.js';

/** One flash sale: every shopper checks out the same SKU at once. */
export interface FlashSaleRun {
  shoppers: number;
  units: number;
  confirmed: number;
  cancelled: number;
  /** Orders not final when the wait ended (should be none). */
  open: number;
  /** The stock after the sale: exact means sold = confirmed = units, nothing left reserved. */
  stock: { available: number; reserved: number; sold: number };
  exact: boolean;
  /** From the first checkout sent: until the last checkout was answered, and every order final. */
  lastAnsweredMs: number;
  allFinalMs: number;
  /** Each order, from its checkout sent to its final event (OrderConfirmed or OrderCancelled). */
  finalP50Ms: number;
  finalP99Ms: number;
  /** Checkout answer times (the shopper's wait for "order placed"). */
  answerP50Ms: number;
  answerP99Ms: number;
}

export interface FlashSaleResult {
  runs: FlashSaleRun[];
  /** The bound: every order final this long after the first checkout was sent. */
  finalWithinMs: number;
}

export const FLASH_SALE_FINAL_WITHIN_MS = 10_000;

const round = (n: number) => Math.round(n * 100) / 100;

/**
 * `shoppers` checkouts of one unit each, sent at once, for `units` units of one SKU, through the
 * embedded platform. Carts are filled before the clock starts. Waits for every order to be
 * final (at most `timeoutMs`), then reads the stock.
 */
async function flashSale(
  harness: CheckoutHarness,
  shoppers: number,
  units: number,
  timeoutMs: number,
): Promise<FlashSaleRun> {
  const sku = uniqueName('FLASH').toUpperCase();
  const tag = sku.toLowerCase();
  await harness.addProduct(sku, 2500, units);
  for (let i = 0; i < shoppers; i += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, shoppers - i) }, (_, k) =>
        harness.fillCart(`${tag}-${i + k}`, { [sku]: 1 }),
      ),
    );
  }
  const sentAt = new Map<string, number>();
  const answers: number[] = [];
  const began = Date.now();
  await Promise.all(
    Array.from({ length: shoppers }, async (_, i) => {
      const t0 = Date.now();
      const orderId = await harness.placeOrder(`${tag}-${i}`);
      answers.push(Date.now() - t0);
      sentAt.set(orderId, t0);
    }),
  );
  const lastAnsweredMs = Date.now() - began;

  const finalAt = new Map<string, { at: number; confirmed: boolean }>();
  let seen = 0;
  const collect = () => {
    const messages = harness.recorder.messages;
    for (; seen < messages.length; seen += 1) {
      const event = messages[seen]?.event;
      if (!event || !sentAt.has(event.subject)) continue;
      if (event.type !== 'OrderConfirmed' && event.type !== 'OrderCancelled') continue;
      if (finalAt.has(event.subject)) continue;
      finalAt.set(event.subject, {
        at: messages[seen]?.timestamp ?? Date.now(),
        confirmed: event.type === 'OrderConfirmed',
      });
    }
    return finalAt.size;
  };
  const deadline = began + timeoutMs;
  while (collect() < shoppers && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const finals = [...finalAt.values()];
  const toFinal = [...finalAt]
    .map(([id, { at }]) => at - (sentAt.get(id) ?? at))
    .sort((a, b) => a - b);
  const sortedAnswers = [...answers].sort((a, b) => a - b);
  const confirmed = finals.filter((final) => final.confirmed).length;
  // Let the last commits land before the stock is read.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const level = await harness.stock(sku);
  const stock = { available: level.available, reserved: level.reserved, sold: level.sold };
  return {
    shoppers,
    units,
    confirmed,
    cancelled: finals.length - confirmed,
    open: shoppers - finals.length,
    stock,
    exact:
      confirmed === units && stock.sold === units && stock.reserved === 0 && stock.available === 0,
    lastAnsweredMs,
    allFinalMs: finals.length === shoppers ? Math.max(...finals.map((f) => f.at)) - began : -1,
    finalP50Ms: round(percentile(toFinal, 50)),
    finalP99Ms: round(percentile(toFinal, 99)),
    answerP50Ms: round(percentile(sortedAnswers, 50)),
    answerP99Ms: round(percentile(sortedAnswers, 99)),
  };
}

/** The two flash sales of the lean-saga issue: 500 shoppers for 50 units, 2,000 for 100. */
export async function benchFlashSale(
  logger: Logger,
  sales: readonly { shoppers: number; units: number }[] = [
    { shoppers: 500, units: 50 },
    { shoppers: 2_000, units: 100 },
  ],
): Promise<FlashSaleResult> {
  const harness = await CheckoutHarness.start({
    logger,
    // The recorder reads the orders topic only (the final events are there).
    recordedTopics: (topics) => [topics.forEvent('OrderConfirmed')],
  });
  try {
    // Warm every path (connections, JIT) before the first sale.
    await flashSale(harness, 40, 10, 60_000);
    const runs: FlashSaleRun[] = [];
    for (const sale of sales) {
      const run = await flashSale(harness, sale.shoppers, sale.units, 180_000);
      logger.info(run, 'flash sale');
      runs.push(run);
      await harness.waitForConsumersIdle(60_000).catch(() => undefined);
    }
    return { runs, finalWithinMs: FLASH_SALE_FINAL_WITHIN_MS };
  } finally {
    await harness.stop();
  }
}
