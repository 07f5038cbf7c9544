import { PutObjectCommand, type PutObjectCommandOutput } from '@aws-sdk/client-s3';
import type { ReportWriter } from './execution-report';

/** The one S3 call the writer makes (the SDK's S3Client from `createS3Client`, or a test's stand-in). */
export interface ObjectPutter {
  send(command: PutObjectCommand): Promise<PutObjectCommandOutput>;
}

export interface S3ReportWriterOptions {
  bucket: string;
  /** The bucket's Region, for the console link. */
  region: string;
  /**
   * The account that owns the bucket (this stack's): S3 refuses the write if the bucket is anyone
   * else's, so a report never lands in a bucket of the same name in another account.
   */
  expectedBucketOwner?: string;
}

/**
 * Writes reports to the stack's reports bucket, one PutObject each. No `ServerSideEncryption` is
 * asked for: the bucket's default encryption applies to every object, so the stack alone decides it.
 * What is returned is where the object is for someone allowed to read it (an S3 URI and a console
 * link), never a public or presigned URL: the bucket is private and reading it takes IAM.
 */
export function s3ReportWriter(s3: ObjectPutter, options: S3ReportWriterOptions): ReportWriter {
  return {
    async put(key, body, contentType) {
      await s3.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          ...(options.expectedBucketOwner ? { ExpectedBucketOwner: options.expectedBucketOwner } : {}),
        }),
      );
      return { uri: `s3://${options.bucket}/${key}`, consoleUrl: s3ConsoleUrl(options.bucket, options.region, key) };
    },
  };
}

/** The S3 console's page of one object (it asks the reader to sign in; it opens nothing to anyone else). */
export function s3ConsoleUrl(bucket: string, region: string, key: string): string {
  const query = new URLSearchParams({ region, bucketType: 'general', prefix: key });
  return `https://${region}.console.aws.amazon.com/s3/object/${encodeURIComponent(bucket)}?${query.toString()}`;
}
