import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { localS3Client } from '../../shared/storage/s3-client.js';
import { IsolatedInfraCache } from '../../test-support/isolated-infra-cache.js';

/**
 * LocalStack as `infra:up` runs it, in a cache of its own (the suite's servers are untouched;
 * Kafka and the database are the suite's, named by the environment): it serves S3 and SES on
 * loopback, and what its buckets hold survives `infra:down` and the next `infra:up`, which
 * LocalStack community would not keep by itself.
 */
describe('LocalStack from PyPI, without Docker', () => {
  const cache = new IsolatedInfraCache('orderly-localstack-');
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.AWS_ENDPOINT_URL;

  after(() => cache.remove());

  it('serves S3 and SES on loopback, and keeps its objects across infra:down and infra:up', async () => {
    const first = await cache.up(env);
    const endpoint = first.settings.AWS_ENDPOINT_URL ?? '';
    assert.match(endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(first.log, /localstack: LocalStack 4\.13\.1 community: s3, ses.* \(started\)/);
    const health = (await (await fetch(`${endpoint}/_localstack/health`)).json()) as {
      services: Record<string, string>;
    };
    assert.ok(['available', 'running'].includes(health.services.ses ?? ''), 'SES is served');

    const s3 = localS3Client(endpoint);
    await s3.send(new CreateBucketCommand({ Bucket: 'kept' }));
    await s3.send(
      new PutObjectCommand({
        Bucket: 'kept',
        Key: 'a/b.txt',
        Body: 'kept',
        ContentType: 'text/plain',
      }),
    );
    s3.destroy();

    assert.match(await cache.down(env), /LocalStack: objects saved/);
    const again = await cache.up(env);
    assert.equal(again.settings.AWS_ENDPOINT_URL, endpoint, 'back on the address it had');
    assert.match(again.log, /LocalStack: saved objects restored/);
    const after = localS3Client(endpoint);
    try {
      const object = await after.send(new GetObjectCommand({ Bucket: 'kept', Key: 'a/b.txt' }));
      assert.equal(object.ContentType, 'text/plain');
      assert.equal(await object.Body?.transformToString(), 'kept');
    } finally {
      after.destroy();
    }
  });
});
