import { GraphQLError } from 'graphql';
import type { Consumer, Kafka } from 'kafkajs';
import mercurius, { type PubSub } from 'mercurius';
import {
  isLaterStatus,
  movesDirectly,
  statusAnnouncedBy,
} from '../functions/orders/order-lifecycle.js';
import { decodeEvent } from '../shared/events/decode-event.js';
import type { DomainEvent } from '../shared/events/envelope.js';
import type { OrderStatus } from '../shared/events/event-schemas.js';
import type { EventTopics } from '../shared/events/topics.js';
import type { Logger } from '../shared/logger/logger.js';
import { createLogger } from '../shared/logger/logger.js';
import type { StockReader } from './context.js';
import { formatError } from './errors.js';
import { FunctionClient } from './function-client.js';
import type { FunctionInvoker } from './invokers/function-invoker.js';
import type {
  SubscriptionOrderUpdatedArgs,
  SubscriptionStockChangedArgs,
} from './schema/generated/resolver-types.js';

/** Refusals are expected answers, not faults: nothing to log. */
const silentLogger = createLogger({ name: 'gateway-subscriptions', level: 'silent' });

export const orderTopic = (orderId: string) => `order:${orderId}`;
export const stockTopic = (sku: string) => `stock:${sku}`;

interface OrderView {
  id: string;
  status: OrderStatus;
  history: { status: OrderStatus; at: string; reason: string | null }[];
  updatedAt: string;
  [field: string]: unknown;
}

/**
 * The order as it was when `status` was reached: a subscriber sees each status once and in
 * order even if it reads the order after it has moved on.
 */
export function orderAsOf(order: OrderView, status: OrderStatus): OrderView {
  const reached = order.history.findIndex((change) => change.status === status);
  if (reached < 0) return order;
  const history = order.history.slice(0, reached + 1);
  return { ...order, status, history, updatedAt: history[reached]?.at ?? order.updatedAt };
}

interface SubscriptionContext {
  /** Mercurius' subscription context: one per subscription of a connection. */
  pubsub: {
    subscribe(topics: string | string[]): Promise<AsyncIterable<unknown>>;
    /** Removes the subscription's listeners and ends its queue. */
    close(): unknown;
    /** True once the client stopped the subscription or left. */
    closed: boolean;
  };
  authorization?: string;
}

/**
 * Subscribes before the resolver awaits anything. Mercurius removes a subscription's listeners
 * when it closes (the client stops it or leaves) only if they are registered by then: one
 * registered later, by a resolver that awaited a read first, would stay for good and push
 * into an ended queue on every later event of its topic.
 */
function subscribeAtOnce(ctx: SubscriptionContext, topics: string | string[]) {
  if (ctx.pubsub.closed) {
    return Promise.reject(
      new mercurius.ErrorWithProps('The subscription was closed', { code: 'BAD_USER_INPUT' }),
    );
  }
  return ctx.pubsub.subscribe(topics);
}

/**
 * Subscription errors skip the HTTP error formatter: give them the contract code here, with
 * the same safe message a query would get.
 */
function toSubscriptionError(err: unknown): Error {
  const [formatted] = formatError(
    new GraphQLError('subscription refused', { originalError: err as Error }),
    silentLogger,
  );
  return new mercurius.ErrorWithProps(formatted?.message ?? 'Internal error', {
    code: formatted?.extensions.code ?? 'INTERNAL',
  });
}

/** One move an order event announces: to which status, from which, when, and why. */
interface StatusStep {
  status: OrderStatus;
  /** The status the move left, when the event says (else: one move of the table). */
  from: OrderStatus | null;
  at: string;
  reason: string | null;
}

/** What the feed publishes for an order event: the moves it announces, in order. */
interface StatusNews {
  steps: StatusStep[];
}

/**
 * The moves an order event announces. An OrderConfirmed also names when the order was
 * RESERVED on the way (no event announces that status); an OrderCancelled the status it left.
 */
export function statusNews(event: DomainEvent): StatusNews | null {
  const status = statusAnnouncedBy(event.type);
  if (!status) return null;
  if (event.type === 'OrderCancelled') {
    const { reason, previousStatus } = event.data;
    return { steps: [{ status, from: previousStatus, at: event.time, reason }] };
  }
  if (event.type === 'OrderConfirmed' && event.data.reservedAt) {
    return {
      steps: [
        { status: 'RESERVED', from: 'PENDING', at: event.data.reservedAt, reason: null },
        { status, from: 'RESERVED', at: event.time, reason: null },
      ],
    };
  }
  return { steps: [{ status, from: null, at: event.time, reason: null }] };
}

/**
 * The order after the move `step`, built from the order as the subscriber last saw it: the
 * table's moves change only the status, the history, the time and the reason. Null when the
 * move does not start where the subscriber is (a status in between was missed, or arrived out
 * of order): the order is then read again.
 */
export function orderAfter(order: OrderView, step: StatusStep): OrderView | null {
  const joins = step.from ? step.from === order.status : movesDirectly(order.status, step.status);
  if (!joins) return null;
  return {
    ...order,
    status: step.status,
    ...(step.status === 'CANCELLED' ? { cancellationReason: step.reason } : {}),
    history: [...order.history, { status: step.status, at: step.at, reason: step.reason }],
    updatedAt: step.at,
  };
}

/**
 * The order as the subscriber first read it (so a subscriber that comes late still knows where
 * the order is), then the order after each newer status as its event arrives: built from the
 * event, not read again for every watcher, unless a status in between was missed; then each
 * status the order passed is sent, in order, from the order read again.
 */
async function* orderUpdates(
  current: OrderView,
  queue: AsyncIterable<unknown> & { destroy?(): void },
  readAgain: () => Promise<OrderView>,
): AsyncGenerator<{ order: OrderView }> {
  let last = current;
  try {
    yield { order: current };
    for await (const payload of queue) {
      for (const step of (payload as StatusNews).steps) {
        // Statuses only move forward; a repeat or an older one is not news.
        if (!isLaterStatus(step.status, last.status)) continue;
        const next = orderAfter(last, step);
        if (next) {
          last = next;
          yield { order: last };
          continue;
        }
        const order = await readAgain();
        for (const passed of order.history) {
          if (!isLaterStatus(passed.status, last.status)) continue;
          if (isLaterStatus(passed.status, step.status)) break;
          last = orderAsOf(order, passed.status);
          yield { order: last };
        }
      }
    }
  } finally {
    queue.destroy?.();
  }
}

/**
 * Subscription resolvers. `orderUpdated` first reads the order with the subscriber's token:
 * the orders function answers NOT_FOUND for another customer's order, so nobody subscribes to
 * an order they may not read. Each order event then yields the order as of that status.
 */
export function subscriptionResolvers(invoker: FunctionInvoker, stock: StockReader) {
  const functionsFor = (ctx: SubscriptionContext) =>
    new FunctionClient(invoker, ctx.authorization ? { authorization: ctx.authorization } : {});
  return {
    orderUpdated: {
      subscribe: async (
        _: unknown,
        args: SubscriptionOrderUpdatedArgs,
        ctx: SubscriptionContext,
      ) => {
        // Subscribe first, then read: no status can slip between the read and the subscription.
        const queue = await subscribeAtOnce(ctx, orderTopic(args.id));
        const read = () =>
          functionsFor(ctx).call<OrderView>('orders', {
            method: 'GET',
            path: `/orders/${encodeURIComponent(args.id)}`,
          });
        try {
          return orderUpdates(await read(), queue, read);
        } catch (err) {
          ctx.pubsub.close();
          throw toSubscriptionError(err);
        }
      },
      resolve: (payload: { order: OrderView }) => payload.order,
    },
    stockChanged: {
      subscribe: async (
        _: unknown,
        args: SubscriptionStockChangedArgs,
        ctx: SubscriptionContext,
      ) => {
        const subscribed = subscribeAtOnce(ctx, [...new Set(args.skus)].map(stockTopic));
        // Validates the SKUs the way inventory does, and fails the subscription if it is down.
        try {
          await stock.getStock(args.skus);
        } catch (err) {
          ctx.pubsub.close();
          await subscribed.catch(() => undefined);
          throw toSubscriptionError(err);
        }
        return subscribed;
      },
      resolve: (payload: { level: unknown }) => payload.level,
    },
  };
}

/**
 * Feeds subscriptions from Kafka: one consumer per gateway process (its own group, from the
 * latest offset) reads the order and stock events and publishes them to the in-process pubsub,
 * which fans them out to the subscribers of that order or SKU.
 */
export async function startSubscriptionFeed(options: {
  kafka: Kafka;
  topics: EventTopics;
  pubsub: PubSub;
  logger: Logger;
  groupId: string;
}): Promise<Consumer> {
  const logger = options.logger.child({ component: 'subscription-feed' });
  const consumer = options.kafka.consumer({
    groupId: options.groupId,
    minBytes: 1,
    maxWaitTimeInMs: 500,
  });
  // Subscribers may be told "subscribed" only once the feed reads: wait for the group join.
  const joined = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the subscription feed did not join its group')),
      30_000,
    );
    consumer.on(consumer.events.GROUP_JOIN, () => {
      clearTimeout(timer);
      resolve();
    });
  });
  await consumer.connect();
  await consumer.subscribe({
    topics: [options.topics.of('orders'), options.topics.of('inventory')],
    fromBeginning: false,
  });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const decoded = message.value ? decodeEvent(message.value.toString('utf8')) : null;
      if (!decoded?.ok) return; // the functions' dead-letter topics keep what cannot be read
      const event = decoded.event;
      if (event.type === 'StockChanged') {
        const { sku, available, reserved } = event.data;
        await options.pubsub.publish({
          topic: stockTopic(sku),
          payload: { level: { sku, available, reserved } },
        });
        return;
      }
      const news = statusNews(event);
      if (news && 'orderId' in event.data) {
        await options.pubsub.publish({ topic: orderTopic(event.data.orderId), payload: news });
      }
    },
  });
  await joined;
  logger.info({ groupId: options.groupId }, 'subscription feed started');
  return consumer;
}
