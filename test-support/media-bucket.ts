import {
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import { ensureMediaBucket } from '../localstack/platform/media-bucket.js';
import { loadConfig, readRuntimeConfig } from '../shared/config/config.js';
import {
  type MediaStorageConfig,
  readMediaStorageConfig,
} from '../shared/storage/media-storage-config.js';
import { type ObjectStorage, s3ObjectStorage } from '../shared/storage/object-storage.js';
import { createS3Client } from '../shared/storage/s3-client.js';
import { uniqueName } from './integration-env.js';

/**
 * A media bucket of a test's own on the LocalStack `npm test` runs (AWS_ENDPOINT_URL), so
 * tests never see each other's objects; `drop()` empties and deletes it.
 */
export interface TestBucket {
  config: MediaStorageConfig;
  storage: ObjectStorage;
  drop(): Promise<void>;
}

export async function createTestBucket(prefix: string): Promise<TestBucket> {
  const base = loadConfig((env) => readMediaStorageConfig(env, readRuntimeConfig(env)));
  const bucket = uniqueBucket(prefix);
  const config: MediaStorageConfig = {
    ...base,
    bucket,
    publicBaseUrl: `${base.endpoint}/${bucket}`,
  };
  await ensureMediaBucket(config.endpoint ?? '', bucket);
  const storage = s3ObjectStorage(config);
  return {
    config,
    storage,
    async drop() {
      storage.close();
      await dropBucket(config.endpoint ?? '', bucket);
    },
  };
}

/** Empties and deletes a bucket of LocalStack (a platform test's own media bucket). */
export async function dropBucket(endpoint: string, bucket: string): Promise<void> {
  const s3 = createS3Client({ region: 'us-east-1', endpoint });
  try {
    for (;;) {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
      const keys = (page.Contents ?? []).flatMap(({ Key }) => (Key ? [{ Key }] : []));
      if (keys.length === 0) break;
      await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
    }
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
  } catch (err) {
    if ((err as { name?: string }).name !== 'NoSuchBucket') throw err;
  } finally {
    s3.destroy();
  }
}

/** A bucket name no other test run uses. */
export function uniqueBucket(prefix: string): string {
  return uniqueName(prefix).toLowerCase().replaceAll('_', '-');
}
