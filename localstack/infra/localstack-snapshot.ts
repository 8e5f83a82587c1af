import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import type { Logger } from '../../shared/logger/logger.js';
import { localS3Client } from '../../shared/storage/s3-client.js';
import { LOCALSTACK_HOME } from './localstack.js';

/**
 * LocalStack community keeps S3 in memory, so a restart would lose every product picture while
 * the database still names them. Before it stops, its objects are saved here; after it starts,
 * they are put back. A crash of LocalStack itself loses what changed since its last stop.
 */
const SNAPSHOT = join(LOCALSTACK_HOME, 'snapshot');
const INDEX = 'objects.json';

interface SavedObject {
  key: string;
  file: string;
  contentType?: string;
}

/** Saves every object of every bucket to disk, replacing the previous snapshot. */
export async function saveObjects(logger: Logger, endpoint: string): Promise<void> {
  const s3 = localS3Client(endpoint);
  try {
    const staging = `${SNAPSHOT}.partial`;
    rmSync(staging, { recursive: true, force: true });
    let count = 0;
    const { Buckets = [] } = await s3.send(new ListBucketsCommand({}));
    for (const bucket of Buckets) {
      const name = bucket.Name as string;
      const saved: SavedObject[] = [];
      let token: string | undefined;
      do {
        const page = await s3.send(
          new ListObjectsV2Command({ Bucket: name, ContinuationToken: token }),
        );
        for (const { Key } of page.Contents ?? []) {
          if (!Key) continue;
          const object = await s3.send(new GetObjectCommand({ Bucket: name, Key }));
          const file = String(saved.length);
          const path = join(staging, name, file);
          mkdirSync(dirname(path), { recursive: true });
          writeFileSync(
            path,
            await (
              object.Body as { transformToByteArray(): Promise<Uint8Array> }
            ).transformToByteArray(),
          );
          saved.push({
            key: Key,
            file,
            ...(object.ContentType ? { contentType: object.ContentType } : {}),
          });
        }
        token = page.NextContinuationToken;
      } while (token);
      mkdirSync(join(staging, name), { recursive: true });
      writeFileSync(join(staging, name, INDEX), JSON.stringify(saved));
      count += saved.length;
    }
    // A whole snapshot or the previous one: the new one takes its place only when complete.
    mkdirSync(staging, { recursive: true });
    rmSync(SNAPSHOT, { recursive: true, force: true });
    renameSync(staging, SNAPSHOT);
    if (count > 0)
      logger.info({ objects: count, buckets: Buckets.length }, 'LocalStack: objects saved');
  } finally {
    s3.destroy();
  }
}

/** Puts the saved objects back into a freshly started LocalStack (buckets created as needed). */
export async function restoreObjects(logger: Logger, endpoint: string): Promise<void> {
  let buckets: string[];
  try {
    buckets = readdirSync(SNAPSHOT);
  } catch {
    return; // nothing saved yet
  }
  const s3 = localS3Client(endpoint);
  try {
    let count = 0;
    for (const bucket of buckets) {
      const saved = JSON.parse(
        readFileSync(join(SNAPSHOT, bucket, INDEX), 'utf8'),
      ) as SavedObject[];
      await s3.send(new CreateBucketCommand({ Bucket: bucket })).catch((err: { name?: string }) => {
        if (err.name !== 'BucketAlreadyOwnedByYou' && err.name !== 'BucketAlreadyExists') throw err;
      });
      for (const object of saved) {
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: object.key,
            Body: readFileSync(join(SNAPSHOT, bucket, object.file)),
            ...(object.contentType ? { ContentType: object.contentType } : {}),
          }),
        );
        count += 1;
      }
    }
    if (count > 0) logger.info({ objects: count }, 'LocalStack: saved objects restored');
  } finally {
    s3.destroy();
  }
}
