import type { S3Client } from '@aws-sdk/client-s3';
import type { MediaStorageConfig } from './media-storage-config.js';
import { s3ClientConfig } from './s3-client-settings.js';

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

interface S3Sdk {
  s3: S3Client;
  commands: typeof import('@aws-sdk/client-s3');
  getSignedUrl: typeof import('@aws-sdk/s3-request-presigner').getSignedUrl;
}

/**
 * The S3 client and its commands, loaded at the first call rather than at import: most of a
 * function's requests never reach the storage, and the SDK's modules are ~150 ms of a cold
 * start (bench/functions/cold-start.ts).
 */
function lazyS3(config: MediaStorageConfig): () => Promise<S3Sdk> {
  let sdk: Promise<S3Sdk> | undefined;
  return () => {
    if (sdk) return sdk;
    const loading = Promise.all([
      import('@aws-sdk/client-s3'),
      import('@aws-sdk/s3-request-presigner'),
    ]).then(([commands, presigner]) => ({
      s3: new commands.S3Client(
        s3ClientConfig({
          region: config.region,
          ...(config.endpoint ? { endpoint: config.endpoint } : {}),
        }),
      ),
      commands,
      getSignedUrl: presigner.getSignedUrl,
    }));
    sdk = loading;
    // A failed load is tried again by the next call.
    loading.catch(() => {
      if (sdk === loading) sdk = undefined;
    });
    return loading;
  };
}

/** The S3 adapter. Keys never change content, so every object is cached as immutable. */
export function s3ObjectStorage(config: MediaStorageConfig): ObjectStorage {
  const sdk = lazyS3(config);
  let loaded: S3Sdk | undefined;
  let closed = false;
  const ready = async () => {
    const client = await sdk();
    // Closed while the SDK loaded: no client is left open behind the close.
    if (closed) {
      client.s3.destroy();
      throw new Error('the object storage is closed');
    }
    loaded = client;
    return loaded;
  };
  const Bucket = config.bucket;
  const missing = (err: unknown) => {
    const { name, $metadata } = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    return name === 'NotFound' || name === 'NoSuchKey' || $metadata?.httpStatusCode === 404;
  };
  return {
    async presignPut(key, upload) {
      const { s3, commands, getSignedUrl } = await ready();
      return getSignedUrl(
        s3,
        new commands.PutObjectCommand({
          Bucket,
          Key: key,
          ContentType: upload.contentType,
          ContentLength: upload.contentLength,
        }),
        {
          expiresIn: upload.expiresInSeconds,
          signableHeaders: new Set(['content-type', 'content-length']),
        },
      );
    },
    async presignGet(key, expiresInSeconds, fileName) {
      const { s3, commands, getSignedUrl } = await ready();
      return getSignedUrl(
        s3,
        new commands.GetObjectCommand({
          Bucket,
          Key: key,
          ...(fileName ? { ResponseContentDisposition: `attachment; filename="${fileName}"` } : {}),
        }),
        { expiresIn: expiresInSeconds },
      );
    },
    async head(key) {
      const { s3, commands } = await ready();
      try {
        const head = await s3.send(new commands.HeadObjectCommand({ Bucket, Key: key }));
        return { bytes: head.ContentLength ?? 0, contentType: head.ContentType };
      } catch (err) {
        if (missing(err)) return null;
        throw err;
      }
    },
    async get(key) {
      const { s3, commands } = await ready();
      try {
        const object = await s3.send(new commands.GetObjectCommand({ Bucket, Key: key }));
        const body = object.Body as { transformToByteArray(): Promise<Uint8Array> } | undefined;
        return body ? Buffer.from(await body.transformToByteArray()) : Buffer.alloc(0);
      } catch (err) {
        if (missing(err)) return null;
        throw err;
      }
    },
    async put(key, body, options) {
      const { s3, commands } = await ready();
      await s3.send(
        new commands.PutObjectCommand({
          Bucket,
          Key: key,
          Body: body,
          ContentType: options.contentType,
          CacheControl: options.cacheControl ?? IMMUTABLE,
        }),
      );
    },
    async copy(from, to, contentType) {
      const { s3, commands } = await ready();
      await s3.send(
        new commands.CopyObjectCommand({
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
      const { s3, commands } = await ready();
      await s3.send(
        new commands.DeleteObjectsCommand({
          Bucket,
          Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
        }),
      );
    },
    publicUrl: (key) =>
      `${config.publicBaseUrl}/${key.split('/').map(encodeURIComponent).join('/')}`,
    close: () => {
      closed = true;
      loaded?.s3.destroy();
    },
  };
}
