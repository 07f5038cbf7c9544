import { Readable } from 'node:stream';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

/**
 * `@aws-sdk/client-sts` (through `@aws-sdk/client-drs`'s credential chain) parses STS's XML answers
 * with fast-xml-parser, which package.json `overrides` pins past the versions of its published
 * advisories. This checks that the client still reads an STS answer with the parser installed: the
 * values, an attribute-free nested element, and the `&#xD;` entity the SDK registers.
 */
describe('the STS client with the fast-xml-parser the lockfile installs', () => {
  it('parses a GetCallerIdentity XML answer into its fields', async () => {
    const xml = [
      '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">',
      '  <GetCallerIdentityResult>',
      '    <Arn>arn:aws:sts::111122223333:assumed-role/drs-orchestrator/session&#xD;</Arn>',
      '    <UserId>AROAEXAMPLE:session</UserId>',
      '    <Account>111122223333</Account>',
      '  </GetCallerIdentityResult>',
      '  <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>',
      '</GetCallerIdentityResponse>',
    ].join('\n');
    const sts = new STSClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      requestHandler: {
        handle: async () => ({
          response: { statusCode: 200, headers: { 'content-type': 'text/xml' }, body: Readable.from([xml]) },
        }),
      },
    });

    const out = await sts.send(new GetCallerIdentityCommand({}));

    expect(out).toMatchObject({
      Account: '111122223333',
      UserId: 'AROAEXAMPLE:session',
      Arn: 'arn:aws:sts::111122223333:assumed-role/drs-orchestrator/session\r',
      $metadata: { httpStatusCode: 200 },
    });
    sts.destroy();
  });
});
