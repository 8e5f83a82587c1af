import type { Collection, Db } from 'mongodb';
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

/** Carts in MongoDB, one document per user; every change is one atomic update of it. */
export class CartStore {
  private readonly carts: Collection<CartDoc>;

  constructor(db: Db) {
    this.carts = db.collection<CartDoc>('carts');
  }

  async lines(userId: string): Promise<CartLine[]> {
    return (await this.carts.findOne({ _id: userId }))?.items ?? [];
  }

  /** Adds to the line of this SKU, creating the line (and the cart) when missing. */
  async add(userId: string, sku: string, quantity: number): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const increased = await this.carts.updateOne(
        { _id: userId, 'items.sku': sku },
        { $inc: { 'items.$.quantity': quantity }, $set: { updatedAt: new Date() } },
      );
      if (increased.matchedCount > 0) return;
      try {
        const pushed = await this.carts.updateOne(
          { _id: userId, 'items.sku': { $ne: sku } },
          { $push: { items: { sku, quantity } }, $set: { updatedAt: new Date() } },
          { upsert: true },
        );
        if (pushed.matchedCount > 0 || pushed.upsertedCount > 0) return;
      } catch (err) {
        // The cart exists and got this SKU meanwhile (the upsert collided): add to it instead.
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
    const updated = await this.carts.updateOne(
      { _id: userId, 'items.sku': sku },
      { $set: { 'items.$.quantity': quantity, updatedAt: new Date() } },
    );
    if (updated.matchedCount === 0) await this.add(userId, sku, quantity);
  }

  async clear(userId: string): Promise<void> {
    await this.carts.updateOne({ _id: userId }, { $set: { items: [], updatedAt: new Date() } });
  }
}
