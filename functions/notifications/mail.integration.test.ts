import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ObjectId } from 'mongodb';
import { loadConfig, readRuntimeConfig } from '../../shared/config/config.js';
import { type MailConfig, readMailConfig } from '../../shared/email/mail-config.js';
import {
  listSentMail,
  type MailSender,
  sesMailSender,
  verifyLocalSender,
} from '../../shared/email/mail-sender.js';
import { newEvent } from '../../shared/events/envelope.js';
import { connectMongo, type MongoConnection } from '../../shared/mongo/mongo-client.js';
import { integrationConfig, testLogger, uniqueName } from '../../test-support/integration-env.js';
import { ORDERS_COLLECTION } from '../orders/port.js';
import { createMailDelivery } from './handler.js';
import { NOTIFICATION_INDEXES, NOTIFICATIONS_COLLECTION } from './notification-document.js';
import { Notifications } from './notifications.js';

/** The notifications function against the real database and LocalStack's SES. */
describe('customer mails (real MongoDB, LocalStack SES)', () => {
  const dbName = uniqueName('it_mail');
  let mongo: MongoConnection;
  let mail: MailConfig;
  let ses: MailSender;
  const shop = { name: 'Test Shop', url: 'https://shop.example' };

  before(async () => {
    mongo = await connectMongo(
      { ...integrationConfig().mongo, dbName },
      { logger: testLogger(), indexes: NOTIFICATION_INDEXES },
    );
    mail = loadConfig((env) => readMailConfig(env, readRuntimeConfig(env)));
    await verifyLocalSender(mail);
    ses = sesMailSender(mail);
  });
  after(async () => {
    ses.close();
    await mongo.db.dropDatabase();
    await mongo.close();
  });

  /** A confirmed order of two lines, mailed to an address of its own. */
  async function placedOrder(name = 'Ada <Lovelace>') {
    const orderId = new ObjectId();
    const to = `${uniqueName('buyer')}@example.com`;
    await mongo.db.collection(ORDERS_COLLECTION).insertOne({
      _id: orderId,
      userId: 'u-mail',
      contactEmail: to,
      shippingAddress: { name },
      items: [
        {
          sku: 'TEE-M',
          name: 'T-shirt',
          variantTitle: 'M / Blue',
          quantity: 2,
          unitPriceCents: 1990,
        },
        {
          sku: 'MUG',
          name: 'Mug & saucer',
          variantTitle: 'Default',
          quantity: 1,
          unitPriceCents: 5,
        },
      ],
      totalCents: 3985,
      currency: 'EUR',
      status: 'CONFIRMED',
    });
    const event = newEvent(
      'OrderConfirmed',
      { orderId: orderId.toHexString(), userId: 'u-mail', totalCents: 3985, currency: 'EUR' },
      { source: 'orders', subject: orderId.toHexString() },
    );
    return { orderId: orderId.toHexString(), to, event };
  }

  const mailsTo = async (to: string) =>
    (await listSentMail(mail.sentMailRecordUrl ?? '', mail.from)).filter((sent) =>
      sent.Destination?.ToAddresses?.includes(to),
    );
  const stored = (orderId: string) =>
    mongo.db
      .collection(NOTIFICATIONS_COLLECTION)
      .findOne({ _id: `${orderId}:ORDER_CONFIRMED` as never });

  it('sends the confirmation once, in text and HTML, with the lines and total as charged', async () => {
    const notifications = new Notifications(
      mongo.db,
      createMailDelivery(mongo.db, ses, testLogger()),
      shop,
    );
    const { orderId, to, event } = await placedOrder();
    await notifications.handle(event, testLogger());
    await notifications.handle(event, testLogger()); // the event delivered again
    const sent = await mailsTo(to);
    assert.equal(sent.length, 1);
    const [message] = sent;
    assert.equal(message?.Subject, `Test Shop: order ${orderId} confirmed`);
    assert.match(message?.Body.text_part ?? '', /2 × T-shirt \(M \/ Blue\) {2}39\.80 EUR/);
    assert.match(message?.Body.text_part ?? '', /1 × Mug & saucer {2}0\.05 EUR/);
    assert.match(message?.Body.text_part ?? '', /Total {2}39\.85 EUR/);
    assert.match(message?.Body.html_part ?? '', /Hello Ada &lt;Lovelace&gt;/);
    assert.match(message?.Body.html_part ?? '', /Mug &amp; saucer/);
    assert.match(message?.Body.html_part ?? '', /href="https:\/\/shop\.example\/orders\//);
    const record = await stored(orderId);
    assert.equal(record?.state, 'SENT');
    assert.equal(record?.messageId, message?.Id);
  });

  it('after a send whose answer was lost, finds the mail in the sent list and sends nothing', async () => {
    // The service takes the mail, then the sender dies before it hears back.
    const lostAnswer: MailSender = {
      ...ses,
      async send(outgoing) {
        await ses.send(outgoing);
        throw new Error('connection reset');
      },
    };
    const options = { leaseMs: 200, maxAttempts: 5, recordForMs: 1_000 };
    const { orderId, to, event } = await placedOrder();
    await new Notifications(
      mongo.db,
      createMailDelivery(mongo.db, lostAnswer, testLogger(), options),
      shop,
    ).handle(event, testLogger());
    assert.equal((await stored(orderId))?.state, 'SENDING', 'claimed, outcome unknown');
    const sweep = createMailDelivery(mongo.db, ses, testLogger(), options);
    assert.equal(await sweep.sweep(), 0, 'nothing is due while the claim holds');
    await new Promise((resolve) => setTimeout(resolve, 250));
    assert.equal(await sweep.sweep(), 1);
    assert.equal((await mailsTo(to)).length, 1);
    assert.equal((await stored(orderId))?.state, 'SENT');
  });

  it('after a send that never left, sends it when the claim runs out', async () => {
    const neverSent: MailSender = {
      ...ses,
      send: async () => {
        throw new Error('killed before the request');
      },
    };
    const options = { leaseMs: 200, maxAttempts: 5, recordForMs: 1_000 };
    const { orderId, to, event } = await placedOrder();
    await new Notifications(
      mongo.db,
      createMailDelivery(mongo.db, neverSent, testLogger(), options),
      shop,
    ).handle(event, testLogger());
    assert.equal((await mailsTo(to)).length, 0);
    await new Promise((resolve) => setTimeout(resolve, 250));
    assert.equal(await createMailDelivery(mongo.db, ses, testLogger(), options).sweep(), 1);
    assert.equal((await mailsTo(to)).length, 1);
    assert.equal((await stored(orderId))?.attempts, 2);
  });

  it('without a sent list to ask (SES), sends again: the one window that can duplicate', async () => {
    const { wasSent: _none, ...sesWithoutList } = ses;
    const lostAnswer: MailSender = {
      ...sesWithoutList,
      async send(outgoing) {
        await ses.send(outgoing);
        throw new Error('connection reset');
      },
    };
    const options = { leaseMs: 200, maxAttempts: 5, recordForMs: 1_000 };
    const { to, event } = await placedOrder();
    await new Notifications(
      mongo.db,
      createMailDelivery(mongo.db, lostAnswer, testLogger(), options),
      shop,
    ).handle(event, testLogger());
    await new Promise((resolve) => setTimeout(resolve, 250));
    await createMailDelivery(mongo.db, sesWithoutList, testLogger(), options).sweep();
    assert.equal((await mailsTo(to)).length, 2);
  });

  it('sets a mail aside as FAILED after its last attempt', async () => {
    const failing: MailSender = { ...ses, send: async () => Promise.reject(new Error('rejected')) };
    const options = { leaseMs: 1, maxAttempts: 2, recordForMs: 1_000 };
    const { orderId, event } = await placedOrder();
    const delivery = createMailDelivery(mongo.db, failing, testLogger(), options);
    await new Notifications(mongo.db, delivery, shop).handle(event, testLogger());
    await new Promise((resolve) => setTimeout(resolve, 5));
    await delivery.sweep();
    const record = await stored(orderId);
    assert.deepEqual([record?.state, record?.attempts], ['FAILED', 2]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(await delivery.sweep(), 0, 'a FAILED mail is not tried again');
  });
});
