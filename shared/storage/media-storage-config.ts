import type { RuntimeConfig } from '../config/config.js';
import type { EnvReader } from '../config/env-reader.js';

/**
 * Where product pictures and catalog files are kept: an S3 bucket, read by shoppers through
 * a public base URL (CloudFront on AWS, LocalStack's own address locally).
 */
export interface MediaStorageConfig {
  bucket: string;
  region: string;
  /** LocalStack's address (AWS_ENDPOINT_URL); unset on AWS, where the SDK finds S3 itself. */
  endpoint: string | undefined;
  /** The absolute URL objects are served from: `${publicBaseUrl}/${key}`. */
  publicBaseUrl: string;
}

/** Outside production, LocalStack on its default port, as npm start and npm test run it. */
const LOCAL_ENDPOINT = 'http://127.0.0.1:4566';
const LOCAL_BUCKET = 'orderly-media';

const HTTP_URL = /^https?:\/\/[^\s/]+(\/[^\s]*)?$/;

export function readMediaStorageConfig(env: EnvReader, runtime: RuntimeConfig): MediaStorageConfig {
  const local = runtime.nodeEnv !== 'production';
  const endpoint = env.optionalString('AWS_ENDPOINT_URL') ?? (local ? LOCAL_ENDPOINT : undefined);
  const bucket = env.string('MEDIA_BUCKET', local ? LOCAL_BUCKET : undefined);
  const region = env.string('AWS_REGION', local ? 'us-east-1' : undefined);
  // Locally LocalStack serves the bucket as a path; on AWS the stage names its CDN address.
  const publicBaseUrl = env
    .string('MEDIA_BASE_URL', endpoint ? `${endpoint}/${bucket}` : undefined)
    .replace(/\/+$/, '');
  for (const [name, value] of [
    ['AWS_ENDPOINT_URL', endpoint],
    ['MEDIA_BASE_URL', publicBaseUrl],
  ] as const) {
    if (value && !HTTP_URL.test(value))
      env.report(`${name} must be an http(s) URL, got "${value}"`);
  }
  if (bucket && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    env.report(`MEDIA_BUCKET must be an S3 bucket name, got "${bucket}"`);
  }
  return { bucket, region, endpoint, publicBaseUrl };
}
