import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { MediaStorageConfig } from './media-storage-config.js';
import { createS3Client } from './s3-client.js';

/** What is known of a stored object without reading it. */
export interface StoredObject {
  bytes: number;
  contentType: string | undefined;
}

/**
 * The object storage the platform keeps pictures and files in. One adapter, S3, talks to AWS
 * and to LocalStack alike; browsers upload straight to it through presigned URLs.
 */
export interface ObjectStorage {
  /**
   * A URL a client PUTs exactly `contentLength` bytes of `contentType` to, until it expires.
   * Both are signed: any other size or type is refused by the storage itself.
   */
  presignPut(
    key: string,
    upload: { contentType: string; contentLength: number; expiresInSeconds: number },
  ): Promise<string>;
  /** A URL that downloads the object (as `fileName`, when given) until it expires. */
  presignGet(key: string, expiresInSeconds: number, fileName?: string): Promise<string>;
  head(key: string): Promise<StoredObject | null>;
  /** The object's bytes, or null when there is none. */
  get(key: string): Promise<Buffer | null>;
  put(
    key: string,
    body: Buffer | string,
    options: { contentType: string; cacheControl?: string },
  ): Promise<void>;
  /** Copies an object, with the content type given (what its bytes are, not what was claimed). */
  copy(from: string, to: string, contentType: string): Promise<void>;
  delete(keys: readonly string[]): Promise<void>;
  /** The absolute URL shoppers read the object at. */
  publicUrl(key: string): string;
  close(): void;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The S3 adapter. Keys never change content, so every object is cached as immutable. */
export function s3ObjectStorage(config: MediaStorageConfig): ObjectStorage {
  const s3: S3Client = createS3Client({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
  });
  const Bucket = config.bucket;
  const missing = (err: unknown) => {
    const { name, $metadata } = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    return name === 'NotFound' || name === 'NoSuchKey' || $metadata?.httpStatusCode === 404;
  };
  return {
    presignPut: (key, upload) =>
      getSignedUrl(
        s3,
        new PutObjectCommand({
          Bucket,
          Key: key,
          ContentType: upload.contentType,
          ContentLength: upload.contentLength,
        }),
        {
          expiresIn: upload.expiresInSeconds,
          signableHeaders: new Set(['content-type', 'content-length']),
        },
      ),
    presignGet: (key, expiresInSeconds, fileName) =>
      getSignedUrl(
        s3,
        new GetObjectCommand({
          Bucket,
          Key: key,
          ...(fileName ? { ResponseContentDisposition: `attachment; filename="${fileName}"` } : {}),
        }),
        { expiresIn: expiresInSeconds },
      ),
    async head(key) {
      try {
        const head = await s3.send(new HeadObjectCommand({ Bucket, Key: key }));
        return { bytes: head.ContentLength ?? 0, contentType: head.ContentType };
      } catch (err) {
        if (missing(err)) return null;
        throw err;
      }
    },
    async get(key) {
      try {
        const object = await s3.send(new GetObjectCommand({ Bucket, Key: key }));
        const body = object.Body as { transformToByteArray(): Promise<Uint8Array> } | undefined;
        return body ? Buffer.from(await body.transformToByteArray()) : Buffer.alloc(0);
      } catch (err) {
        if (missing(err)) return null;
        throw err;
      }
    },
    async put(key, body, options) {
      await s3.send(
        new PutObjectCommand({
          Bucket,
          Key: key,
          Body: body,
          ContentType: options.contentType,
          CacheControl: options.cacheControl ?? IMMUTABLE,
        }),
      );
    },
    async copy(from, to, contentType) {
      await s3.send(
        new CopyObjectCommand({
          Bucket,
          Key: to,
          CopySource: `${Bucket}/${from}`,
          MetadataDirective: 'REPLACE',
          ContentType: contentType,
          CacheControl: IMMUTABLE,
        }),
      );
    },
    async delete(keys) {
      if (keys.length === 0) return;
      await s3.send(
        new DeleteObjectsCommand({
          Bucket,
          Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
        }),
      );
    },
    publicUrl: (key) =>
      `${config.publicBaseUrl}/${key.split('/').map(encodeURIComponent).join('/')}`,
    close: () => s3.destroy(),
  };
}
