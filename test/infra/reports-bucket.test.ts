import type { CfnElement } from 'aws-cdk-lib';
import { DEFAULT_REPORT_RETENTION_DAYS } from '../../infra/constructs/reports-bucket';
import { STACK_OUTPUTS } from '../../infra/stacks/drs-orchestrator-stack';
import { actionsOf, resourceListOf, resourcesOf, type Statement, statementsOfRole, synthesize } from './synth';

/** Issue 13: the reports bucket is encrypted, private, TLS-only and lifecycle-expired; execution-events may only write reports. */
const { stack, template } = synthesize();
const id = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement);
const json = (value: unknown) => JSON.stringify(value);
const buckets = resourcesOf(template, 'AWS::S3::Bucket');
const reportsId = id(stack.reports.bucket);
const logsId = id(stack.reports.accessLogs);
const propsOf = (logical: string) => buckets[logical]?.Properties ?? {};
const policyOf = (logical: string): Statement[] =>
  Object.values(resourcesOf(template, 'AWS::S3::BucketPolicy'))
    .filter((policy) => json(policy.Properties.Bucket) === json({ Ref: logical }))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
const roleStatements = (role: { node: { defaultChild?: unknown } }) =>
  statementsOfRole(template, id(role)).filter((s) => s.Effect === 'Allow');

describe('the reports bucket', () => {
  it("is the reports bucket and its access log bucket (beside the web console's own assets bucket)", () => {
    expect(
      Object.keys(buckets)
        .filter((logical) => !logical.startsWith('ConsoleAssets'))
        .sort(),
    ).toEqual([logsId, reportsId].sort());
  });

  it.each([
    ['reports', reportsId],
    ['access logs', logsId],
  ])('%s: encrypted at rest with S3-managed keys', (_name, logical) => {
    expect(propsOf(logical).BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
  });

  it.each([
    ['reports', reportsId],
    ['access logs', logsId],
  ])('%s: blocks every kind of public access, and ACLs are disabled', (_name, logical) => {
    expect(propsOf(logical).PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(propsOf(logical).OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(propsOf(logical)).not.toHaveProperty('AccessControl');
  });

  it.each([
    ['reports', reportsId],
    ['access logs', logsId],
  ])('%s: denies every request not made over TLS, to anyone', (_name, logical) => {
    const deny = policyOf(logical).filter((s) => s.Effect === 'Deny');
    expect(deny).toEqual([
      expect.objectContaining({
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        Principal: { AWS: '*' },
      }),
    ]);
    expect(resourceListOf(deny[0] as Statement)).toEqual([
      { 'Fn::GetAtt': [logical, 'Arn'] },
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logical, 'Arn'] }, '/*']] },
    ]);
  });

  it.each([
    ['reports', reportsId],
    ['access logs', logsId],
  ])(`%s: expires objects after the default retention (${DEFAULT_REPORT_RETENTION_DAYS} days)`, (_name, logical) => {
    const rules = (propsOf(logical).LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    expect(rules).toEqual([
      expect.objectContaining({ Status: 'Enabled', ExpirationInDays: DEFAULT_REPORT_RETENTION_DAYS }),
    ]);
  });

  it('expires reports after the days the deployer sets (context reportRetentionDays)', () => {
    const custom = synthesize({ context: { reportRetentionDays: '30' } });
    const bucket = resourcesOf(custom.template, 'AWS::S3::Bucket')[
      custom.stack.getLogicalId(custom.stack.reports.bucket.node.defaultChild as CfnElement)
    ];
    expect(bucket?.Properties.LifecycleConfiguration).toEqual({
      Rules: [expect.objectContaining({ Status: 'Enabled', ExpirationInDays: 30 })],
    });
  });

  it('refuses a retention that is not a whole number of days of at least 1', () => {
    expect(() => synthesize({ context: { reportRetentionDays: '0' } })).toThrow(/reportRetentionDays/);
    expect(() => synthesize({ context: { reportRetentionDays: 'a year' } })).toThrow(/reportRetentionDays/);
  });

  it('logs server access to the access log bucket, which admits only S3 log delivery from the reports bucket', () => {
    expect(propsOf(reportsId).LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logsId },
      LogFilePrefix: 'reports-bucket/',
    });
    const allow = policyOf(logsId).filter((s) => s.Effect === 'Allow');
    expect(allow).toEqual([
      expect.objectContaining({
        Action: 's3:PutObject',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Condition: {
          ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [reportsId, 'Arn'] } },
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        },
      }),
    ]);
  });

  it('keeps versioning off and the buckets (audit evidence) when the stack is deleted', () => {
    for (const logical of [reportsId, logsId]) {
      expect(propsOf(logical)).not.toHaveProperty('VersioningConfiguration');
      expect(buckets[logical]?.DeletionPolicy).toBe('Retain');
    }
  });

  it('names the bucket in a stack output', () => {
    expect(template.toJSON().Outputs[STACK_OUTPUTS.reportsBucketName]).toMatchObject({ Value: { Ref: reportsId } });
  });
});

describe('who may touch the reports bucket', () => {
  const onBuckets = (statements: Statement[]) =>
    statements.filter((s) => json(s.Resource).includes(reportsId) || json(s.Resource).includes(logsId));

  it('lets execution-events PutObject under reports/ only: no read, delete, list, tagging or ACL', () => {
    const statements = onBuckets(roleStatements(stack.executionEvents.handler.role));
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [reportsId, 'Arn'] }, '/reports/*']] },
      },
    ]);
  });

  it('grants no other function of the stack any S3 action on it or its logs', () => {
    const roles = resourcesOf(template, 'AWS::IAM::Role');
    const others = Object.keys(roles).filter((logical) => logical !== id(stack.executionEvents.handler.role));
    // The console's deployment role writes its own bucket only: a statement naming these buckets is a defect.
    const onReports = (statement: Statement) => [reportsId, logsId].some((b) => JSON.stringify(statement).includes(b));
    const s3Actions = others.flatMap((logical) =>
      statementsOfRole(template, logical)
        .filter(onReports)
        .flatMap(actionsOf)
        .filter((action) => action.startsWith('s3:'))
        .map((action) => `${logical} ${action}`),
    );
    expect(s3Actions).toEqual([]);
  });
});
