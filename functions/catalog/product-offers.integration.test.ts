import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type CommandStartedEvent, MongoClient } from 'mongodb';
import { integrationConfig, uniqueName } from '../../test-support/integration-env.js';
import { ProductStore } from './product-store.js';

describe('offers by SKU, read at once (real MongoDB)', () => {
  const config = integrationConfig().mongo;
  const client = new MongoClient(config.uri, { monitorCommands: true });
  const db = client.db(uniqueName('it_offers'));
  const finds: CommandStartedEvent[] = [];

  before(async () => {
    await client.connect();
    client.on('commandStarted', (event) => {
      if (event.commandName === 'find' && event.command.find === 'products') finds.push(event);
    });
    const store = new ProductStore(db);
    for (const [sku, priceCents] of [
      ['OFFER-A', 1000],
      ['OFFER-B', 2000],
      ['OFFER-C', 3000],
    ] as const) {
      await store.create({
        sku,
        name: `Offer ${sku}`,
        description: 'A product priced by the checkout',
        category: 'test',
        priceCents,
        currency: 'EUR',
      });
    }
  });

  after(async () => {
    await db.dropDatabase();
    await client.close();
  });

  it('answers checkouts pricing at the same moment from one find, each with its own SKUs', async () => {
    const store = new ProductStore(db);
    finds.length = 0;
    const asked = [['OFFER-A'], ['OFFER-B', 'OFFER-C'], ['NO-SUCH-SKU'], ['OFFER-C', 'OFFER-A']];
    const answers = await Promise.all(asked.map((skus) => store.getBySkus(skus)));
    assert.equal(finds.length, 1, 'one find for the four carts');
    assert.deepEqual(
      answers.map((offers) => [...offers.keys()].sort()),
      [['OFFER-A'], ['OFFER-B', 'OFFER-C'], [], ['OFFER-A', 'OFFER-C']],
    );
    assert.deepEqual(
      answers.map((offers) => [...offers.values()].map((offer) => offer.variant.priceCents).sort()),
      [[1000], [2000, 3000], [], [1000, 3000]],
    );
  });
});
