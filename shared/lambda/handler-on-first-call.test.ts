import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { handlerOnFirstCall } from './handler-on-first-call.js';

describe('handlerOnFirstCall', () => {
  it('creates the handler on the first call, once, and passes events through', async () => {
    let created = 0;
    const handler = handlerOnFirstCall(() => {
      created += 1;
      return async (event: number) => event * 2;
    });
    assert.equal(created, 0);
    assert.equal(await handler(2), 4);
    assert.equal(await handler(5), 10);
    assert.equal(created, 1);
  });

  it('tries again on the next call when creating failed (a configuration being fixed)', async () => {
    let attempts = 0;
    const handler = handlerOnFirstCall(() => {
      attempts += 1;
      if (attempts === 1) throw new Error('KAFKA_BROKERS is required but not set');
      return async () => 'ok';
    });
    await assert.rejects(async () => handler(), /KAFKA_BROKERS/);
    assert.equal(await handler(), 'ok');
  });

  it('closes the handler it created, and nothing when none was', async () => {
    let closed = 0;
    const make = () =>
      handlerOnFirstCall(() =>
        Object.assign(async () => 'ok', {
          close: async () => {
            closed += 1;
          },
        }),
      );
    await make().close?.();
    assert.equal(closed, 0);
    const used = make();
    await used();
    await used.close?.();
    assert.equal(closed, 1);
  });
});
