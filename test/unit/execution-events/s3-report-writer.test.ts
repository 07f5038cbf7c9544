import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { reportKey } from '../../../functions/execution-events/execution-report';
import { s3ConsoleUrl, s3ReportWriter } from '../../../functions/execution-events/s3-report-writer';
import { createS3Client } from '../../../functions/shared/clients';

const s3 = mockClient(S3Client);
beforeEach(() => s3.reset());

const options = { bucket: 'drs-reports-bucket', region: 'eu-west-1', expectedBucketOwner: '111122223333' };

describe('the S3 report writer', () => {
  it('puts the object in the reports bucket with its content type, only to a bucket of this account', async () => {
    s3.on(PutObjectCommand).resolves({});
    const key = reportKey('three-tier', 'drill-1', 'html');

    await s3ReportWriter(createS3Client({ region: 'eu-west-1' }), options).put(
      key,
      '<html></html>',
      'text/html; charset=utf-8',
    );

    const calls = s3.commandCalls(PutObjectCommand);
    expect(calls.map((call) => call.args[0].input)).toEqual([
      {
        Bucket: 'drs-reports-bucket',
        Key: 'reports/three-tier/drill-1/report.html',
        Body: '<html></html>',
        ContentType: 'text/html; charset=utf-8',
        ExpectedBucketOwner: '111122223333',
      },
    ]);
  });

  it("asks for no encryption of its own: the bucket's default encryption decides", async () => {
    s3.on(PutObjectCommand).resolves({});

    await s3ReportWriter(createS3Client({ region: 'eu-west-1' }), options).put('k', '{}', 'application/json');

    const input = s3.commandCalls(PutObjectCommand)[0]?.args[0].input ?? {};
    expect(Object.keys(input).filter((name) => /ServerSideEncryption|SSEKMS|SSECustomer/.test(name))).toEqual([]);
  });

  it('returns the S3 URI and the console page of the object, never a public or presigned URL', async () => {
    s3.on(PutObjectCommand).resolves({});
    const key = reportKey('three-tier', 'drill-1', 'json');

    const where = await s3ReportWriter(createS3Client({ region: 'eu-west-1' }), options).put(
      key,
      '{}',
      'application/json',
    );

    expect(where).toEqual({
      uri: 's3://drs-reports-bucket/reports/three-tier/drill-1/report.json',
      consoleUrl:
        'https://eu-west-1.console.aws.amazon.com/s3/object/drs-reports-bucket?region=eu-west-1&bucketType=general&prefix=reports%2Fthree-tier%2Fdrill-1%2Freport.json',
    });
    expect(where.consoleUrl).not.toMatch(/X-Amz-|amazonaws\.com\/drs-reports-bucket|s3\.[a-z0-9-]+\.amazonaws/);
  });

  it('fails when S3 refuses the write (the caller names it in the notification)', async () => {
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));

    await expect(
      s3ReportWriter(createS3Client({ region: 'eu-west-1' }), options).put('k', '{}', 'application/json'),
    ).rejects.toThrow('Access Denied');
  });

  it('links an object whose key holds characters a URL must escape', () => {
    expect(s3ConsoleUrl('b', 'us-east-1', 'reports/p/ex%C3%A9cution 1/report.html')).toBe(
      'https://us-east-1.console.aws.amazon.com/s3/object/b?region=us-east-1&bucketType=general&prefix=reports%2Fp%2Fex%25C3%25A9cution+1%2Freport.html',
    );
  });
});
