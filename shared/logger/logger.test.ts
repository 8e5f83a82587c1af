import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { withoutSecrets } from '../kafka-function/dead-letters.js';
import { createLogger } from './logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, destination };
}

describe('secrets are kept out of logs and dead letters', () => {
  it('blanks a payment token wherever an event or body puts it', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ name: 'test', level: 'info', destination });
    logger.info({ paymentToken: 'tok_top' }, 'top level');
    logger.info({ body: { paymentToken: 'tok_body' } }, 'a body');
    logger.info({ event: { data: { paymentToken: 'tok_event' } } }, 'an event');
    logger.info({ batch: { event: { data: { paymentToken: 'tok_deep' } } } }, 'deeper');
    const text = lines.join('');
    assert.equal(lines.length, 4);
    assert.doesNotMatch(text, /tok_/);
    assert.equal((text.match(/\[redacted\]/g) ?? []).length, 4);
  });

  it('blanks the payment token of a dead-lettered event and keeps every other byte', () => {
    const event = { id: 'e1', data: { orderId: 'o1', paymentToken: 'tok_visa' } };
    const kept = withoutSecrets(Buffer.from(JSON.stringify(event)));
    assert.deepEqual(JSON.parse(String(kept)), {
      id: 'e1',
      data: { orderId: 'o1', paymentToken: '[redacted]' },
    });
    const notJson = Buffer.from('{"paymentToken": trunc');
    assert.equal(withoutSecrets(notJson), notJson, 'what is not JSON is kept as it came');
    assert.equal(withoutSecrets(null), null);
  });
});
