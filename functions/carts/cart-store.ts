import type { Collection, Db } from 'mongodb';
import { badUserInput } from '../../shared/errors/catalogue.js';
import { ORDER_LIMITS } from '../../shared/limits/limits.js';
import { GroupedFinds } from '../../shared/mongo/grouped-finds.js';
import { GroupedUpdates } from '../../shared/mongo/grouped-updates.js';
import { isDuplicateKeyError } from '../../shared/mongo/mongo-client.js';

export interface CartLine {
  sku: string;
  quantity: number;
}

interface CartDoc {
  /** The owner's account id: one cart per user. */
  _id: string;
  items: CartLine[];
  updatedAt: Date;
}

const { maxLines, maxQuantityPerLine } = ORDER_LIMITS;

/** The cart already holds as many products as an order may. */
function tooManyLines(sku: string) {
  return badUserInput(
    `A cart holds at most ${maxLines} different products; check out or remove one before adding ${sku}`,
    { field: 'sku', limit: maxLines },
  );
}

function tooManyUnits(sku: string) {
  return badUserInput(`A cart line holds at most ${maxQuantityPerLine} units of ${sku}`, {
    field: 'quantity',
    limit: maxQuantityPerLine,
  });
}

/**
 * Carts in MongoDB, one document per user; every change is one atomic update of it, guarded
 * so that a cart never holds more than an order may (shared/limits), however many requests
 * race.
 */
export class CartStore {
  private readonly carts: Collection<CartDoc>;
  private readonly clears: GroupedUpdates<CartDoc>;
  /** Carts read at the same moment (checkouts) go out as one find. */
  private readonly reads: GroupedFinds<CartDoc>;

  constructor(db: Db) {
    this.carts = db.collection<CartDoc>('carts');
    this.clears = new GroupedUpdates(this.carts);
    this.reads = new GroupedFinds(this.carts);
  }

  async lines(userId: string): Promise<CartLine[]> {
    return (await this.reads.findById(userId))?.items ?? [];
  }

  /** Adds to the line of this SKU, creating the line (and the cart) when missing. */
  async add(userId: string, sku: string, quantity: number): Promise<void> {
    if (quantity > maxQuantityPerLine) throw tooManyUnits(sku);
    for (let attempt = 0; attempt < 5; attempt++) {
      const increased = await this.carts.updateOne(
        {
          _id: userId,
          items: { $elemMatch: { sku, quantity: { $lte: maxQuantityPerLine - quantity } } },
        },
        { $inc: { 'items.$.quantity': quantity }, $set: { updatedAt: new Date() } },
      );
      if (increased.matchedCount > 0) return;
      const current = await this.lines(userId);
      const line = current.find((item) => item.sku === sku);
      if (line) {
        // The line is too full for this many more, or it changed meanwhile: decide again.
        if (line.quantity + quantity > maxQuantityPerLine) throw tooManyUnits(sku);
        continue;
      }
      if (current.length >= maxLines) throw tooManyLines(sku);
      try {
        const pushed = await this.carts.updateOne(
          // Fewer than maxLines lines: the array has no element at index maxLines - 1.
          { _id: userId, 'items.sku': { $ne: sku }, [`items.${maxLines - 1}`]: { $exists: false } },
          { $push: { items: { sku, quantity } }, $set: { updatedAt: new Date() } },
          { upsert: true },
        );
        if (pushed.matchedCount > 0 || pushed.upsertedCount > 0) return;
      } catch (err) {
        // The cart exists and got this SKU (or its last free line) meanwhile: the upsert
        // collided with it. Decide again on what it holds now.
        if (!isDuplicateKeyError(err)) throw err;
      }
    }
    throw new Error(`cart of ${userId} changed too often to add ${sku}`);
  }

  /** Sets the quantity of a line; 0 removes it. */
  async set(userId: string, sku: string, quantity: number): Promise<void> {
    if (quantity === 0) {
      await this.carts.updateOne(
        { _id: userId },
        { $pull: { items: { sku } }, $set: { updatedAt: new Date() } },
      );
      return;
    }
    if (quantity > maxQuantityPerLine) throw tooManyUnits(sku);
    const updated = await this.carts.updateOne(
      { _id: userId, 'items.sku': sku },
      { $set: { 'items.$.quantity': quantity, updatedAt: new Date() } },
    );
    if (updated.matchedCount === 0) await this.add(userId, sku, quantity);
  }

  /** Empties the cart after its checkout; the checkouts of the same moment share one command. */
  clear(userId: string): Promise<void> {
    return this.clears.updateOne({ _id: userId }, { $set: { items: [], updatedAt: new Date() } });
  }
}
