import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatTable } from './platform-table.js';

describe('formatTable', () => {
  it('aligns every column to its widest cell, under a header and a rule', () => {
    const text = formatTable([
      { component: 'GraphQL gateway', where: 'http://127.0.0.1:4000/graphql', how: 'this process' },
      { component: 'Kafka', where: '127.0.0.1:9092', how: 'Apache Kafka (started)' },
    ]);
    assert.deepEqual(text.split('\n'), [
      '  component        where                          how',
      '  ---------------  -----------------------------  ----------------------',
      '  GraphQL gateway  http://127.0.0.1:4000/graphql  this process',
      '  Kafka            127.0.0.1:9092                 Apache Kafka (started)',
    ]);
  });
});
