import { CreateBucketCommand, PutBucketCorsCommand } from '@aws-sdk/client-s3';
import { localS3Client } from '../../shared/storage/s3-client.js';

/**
 * The media bucket in LocalStack, as CloudFormation makes it on AWS (deploy/storefront-cdn.yml):
 * created if missing, with CORS that lets the storefront's pages PUT uploads to it. Idempotent.
 */
export async function ensureMediaBucket(
  endpoint: string,
  bucket: string,
  allowedOrigins: readonly string[] = ['*'],
): Promise<void> {
  const s3 = localS3Client(endpoint);
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket })).catch((err: { name?: string }) => {
      if (err.name !== 'BucketAlreadyOwnedByYou' && err.name !== 'BucketAlreadyExists') throw err;
    });
    await s3.send(
      new PutBucketCorsCommand({
        Bucket: bucket,
        CORSConfiguration: {
          CORSRules: [
            {
              AllowedOrigins: [...allowedOrigins],
              AllowedMethods: ['PUT', 'GET'],
              AllowedHeaders: ['content-type'],
              MaxAgeSeconds: 3600,
            },
          ],
        },
      }),
    );
  } finally {
    s3.destroy();
  }
}
