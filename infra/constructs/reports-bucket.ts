import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { acknowledgeWildcardResources } from './nag';

/** How long a report is kept when the stack does not say (context `reportRetentionDays`). */
export const DEFAULT_REPORT_RETENTION_DAYS = 365;

/** Where execution-events writes reports: `reports/<planId>/<executionId>/report.{html,json}` (execution-report.ts). */
export const REPORTS_PREFIX = 'reports/';

export interface ReportsBucketProps {
  /**
   * Days a report is kept before S3 deletes it (the lifecycle rule); also how long the access logs are kept.
   * @default DEFAULT_REPORT_RETENTION_DAYS (365)
   */
  readonly retentionDays?: number;
}

/**
 * The reports bucket: one HTML page and its JSON facts per ended execution, audit evidence. Private
 * (every public access block, bucket owner enforced: no ACLs), encrypted at rest (S3-managed keys:
 * readers need IAM alone, no key grant), TLS-only (a bucket policy denies any request without it),
 * and expired after `retentionDays`. Versioning is off: a report is written once per ending and can be
 * built again from the records. Who read or wrote a report is in the server access logs, a second
 * bucket with the same protections (a log target bucket must use S3-managed keys).
 *
 * Both buckets are RETAINED when the stack is deleted: a stack deletion must not destroy audit
 * evidence, and the lifecycle rule still empties them in time. (`autoDeleteObjects` would also add a
 * custom-resource Lambda the stack does not otherwise need.)
 */
export class ReportsBucket extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;
  readonly retentionDays: number;

  constructor(scope: Construct, id: string, props: ReportsBucketProps = {}) {
    super(scope, id);
    this.retentionDays = props.retentionDays ?? DEFAULT_REPORT_RETENTION_DAYS;
    if (!Number.isInteger(this.retentionDays) || this.retentionDays < 1)
      throw new Error(`the report retention must be a whole number of days, at least 1 (got ${this.retentionDays})`);

    // The log bucket admits S3's log delivery by a bucket policy limited to the reports bucket (aws:SourceArn,
    // aws:SourceAccount), not by the LogDeliveryWrite ACL: ACLs stay disabled (bucket owner enforced).
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);

    const common = {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: false,
      removalPolicy: RemovalPolicy.RETAIN,
    };
    const lifecycle = (ruleId: string) => [
      {
        id: ruleId,
        enabled: true,
        expiration: Duration.days(this.retentionDays),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      },
    ];

    this.accessLogs = new Bucket(this, 'AccessLogs', {
      ...common,
      lifecycleRules: lifecycle('ExpireAccessLogs'),
    });
    // No access logs of its own (logging the logs would never end); cdk-nag's S1 knows a log target bucket.

    this.bucket = new Bucket(this, 'Bucket', {
      ...common,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'reports-bucket/',
      lifecycleRules: lifecycle('ExpireReports'),
    });
  }

  /**
   * s3:PutObject on the report objects alone (`reports/*`): no read, no delete, no listing, no other
   * key, and none of the tagging, retention or ACL actions `grantPut` would add.
   */
  grantWriteReports(role: iam.IRole): void {
    const objects = this.bucket.arnForObjects(`${REPORTS_PREFIX}*`);
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [objects] }));
    acknowledgeWildcardResources(
      role,
      [objects],
      "PutObject of the reports bucket's report objects only: each execution's report key (reports/<planId>/<executionId>/...) is known only when it ends.",
    );
  }
}
