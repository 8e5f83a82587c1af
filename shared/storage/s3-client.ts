import { S3Client } from '@aws-sdk/client-s3';
import { type S3Settings, s3ClientConfig } from './s3-client-settings.js';

export type { S3Settings } from './s3-client-settings.js';

/** The one way an S3 client is made: the same code on AWS and against LocalStack. */
export function createS3Client(settings: S3Settings): S3Client {
  return new S3Client(s3ClientConfig(settings));
}

/** A client of the LocalStack at `endpoint`, for the local tools. */
export function localS3Client(endpoint: string): S3Client {
  return createS3Client({ region: 'us-east-1', endpoint });
}
