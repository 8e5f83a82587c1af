import type { S3ClientConfig } from '@aws-sdk/client-s3';

/**
 * Where the S3 client sends its requests. On AWS nothing is set: the SDK finds the region and
 * the function's role itself. Locally `endpoint` is LocalStack's (AWS_ENDPOINT_URL), which
 * takes any credentials; the SDK is then given fixed ones, so it never looks for a profile or
 * the instance metadata service.
 */
export interface S3Settings {
  region: string;
  /** LocalStack's address; absent on AWS. */
  endpoint?: string;
}

/** LocalStack's fixed credentials (any value is accepted; these are its documented ones). */
const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/**
 * The one configuration of an S3 client: the same code on AWS and against LocalStack. Free of
 * the SDK's code, so a module can load the SDK only when it first needs it.
 */
export function s3ClientConfig(settings: S3Settings): S3ClientConfig {
  return {
    region: settings.region,
    // Checksums only where S3 requires them. By default the SDK puts the CRC32 of the body
    // into a presigned PUT URL, and a URL presigned without a body carries the CRC32 of
    // nothing: S3 then refuses every real upload to it (BadDigest). LocalStack does not check.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(settings.endpoint
      ? {
          endpoint: settings.endpoint,
          // LocalStack serves buckets as paths (http://127.0.0.1:4566/<bucket>/<key>).
          forcePathStyle: true,
          credentials: LOCAL_CREDENTIALS,
        }
      : {}),
  };
}
