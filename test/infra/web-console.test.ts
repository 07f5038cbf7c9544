import { App } from 'aws-cdk-lib';
import { API_ROUTES } from '../../functions/api/routes';
import { buildApp } from '../../infra/app';
import { iamPath } from '../../infra/constructs/operator-policies';
import { logicalId, resourcesOf, type Statement, statementsOfRole, synthesize } from './synth';

const { stack, template } = synthesize();
/** The one resource of a type (of the console's, when `prefix` names its logical IDs: the stack has other buckets). */
const only = (type: string, prefix = '') => {
  const found = Object.entries(resourcesOf(template, type)).filter(([logical]) => logical.startsWith(prefix));
  expect(found).toHaveLength(1);
  return (found[0] as [string, { Properties: Record<string, unknown> }])[1].Properties;
};
const distribution = only('AWS::CloudFront::Distribution').DistributionConfig as Record<string, unknown>;
const behaviors = [
  distribution.DefaultCacheBehavior,
  ...((distribution.CacheBehaviors as unknown[] | undefined) ?? []),
] as Record<string, unknown>[];
const restApiId = logicalId(stack, stack.api.api);
const assetsBucketId = logicalId(stack, stack.webConsole.bucket);

/** An execute-api ARN of the template as `METHOD /path` (the parts after the stage), checked to be of this API. */
function route(arn: unknown): string {
  const parts = (arn as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  expect(parts).toContainEqual({ Ref: restApiId });
  const tail = parts[parts.length - 1] as string;
  const match = /^\/v1\/(GET|POST|PUT|DELETE)(\/.*)$/.exec(tail);
  if (!match) throw new Error(`not a route of stage v1: ${tail}`);
  return `${match[1]} ${match[2]}`;
}

const invokeRoutes = (roleId: string): string[] => {
  const statements = statementsOfRole(template, roleId);
  expect(statements.length).toBeGreaterThan(0);
  return statements.flatMap((s: Statement) => {
    expect(s).toMatchObject({ Effect: 'Allow', Action: 'execute-api:Invoke' });
    return (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).map(route);
  });
};
const expected = (routes: typeof API_ROUTES) => routes.map((r) => `${r.method} ${iamPath(r)}`).sort();

describe('the web console on AWS', () => {
  it('serves the assets from a bucket with every public access blocked, TLS enforced and encryption', () => {
    const bucket = only('AWS::S3::Bucket', 'ConsoleAssets');
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.BucketEncryption).toBeDefined();
    expect(bucket.WebsiteConfiguration).toBeUndefined();
    const policy = only('AWS::S3::BucketPolicy', 'ConsoleAssets').PolicyDocument as { Statement: Statement[] };
    expect(policy.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    // The only reader: CloudFront, for this distribution (origin access control), never a public principal.
    const allows = policy.Statement.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } },
    });
  });

  it('reads the bucket through origin access control, not an access identity or a website endpoint', () => {
    expect(only('AWS::CloudFront::OriginAccessControl').OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    expect(resourcesOf(template, 'AWS::CloudFront::CloudFrontOriginAccessIdentity')).toEqual({});
    const s3Origins = (distribution.Origins as Record<string, unknown>[]).filter((o) => o.S3OriginConfig);
    expect(s3Origins).toHaveLength(1);
    expect(s3Origins[0]).toMatchObject({
      DomainName: { 'Fn::GetAtt': [assetsBucketId, 'RegionalDomainName'] },
      OriginAccessControlId: expect.anything(),
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
    expect(distribution.DefaultRootObject).toBe('index.html');
  });

  it('answers HTTPS only: every behaviour redirects HTTP or refuses it', () => {
    expect(behaviors.length).toBe(2);
    expect(distribution.DefaultCacheBehavior).toMatchObject({ ViewerProtocolPolicy: 'redirect-to-https' });
    for (const behavior of behaviors) {
      expect(['redirect-to-https', 'https-only']).toContain(behavior.ViewerProtocolPolicy);
    }
  });

  it('sends the security headers on every behaviour: HSTS, a CSP of self and Cognito, DENY, nosniff, no referrer', () => {
    const policy = only('AWS::CloudFront::ResponseHeadersPolicy').ResponseHeadersPolicyConfig as {
      SecurityHeadersConfig: Record<string, Record<string, unknown>>;
    };
    const headers = policy.SecurityHeadersConfig;
    expect(headers.StrictTransportSecurity).toMatchObject({ IncludeSubdomains: true, Override: true });
    expect(headers.StrictTransportSecurity?.AccessControlMaxAgeSec).toBeGreaterThanOrEqual(31_536_000);
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.ReferrerPolicy).toEqual({ ReferrerPolicy: 'no-referrer', Override: true });
    const csp = JSON.stringify(stack.resolve(headers.ContentSecurityPolicy?.ContentSecurityPolicy));
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/connect-src 'self' https:\/\/cognito-idp\..*https:\/\/cognito-identity\./);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toMatch(/\s\*[\s;]/);
    const policyId = logicalId(stack, {
      node: { defaultChild: stack.webConsole.node.findChild('SecurityHeaders').node.defaultChild },
    });
    for (const behavior of behaviors) expect(behavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
  });

  it("passes /v1/* to this API uncached with the caller's signature headers, everything else to the bucket", () => {
    const api = behaviors.find((b) => b.PathPattern === '/v1/*');
    expect(api).toMatchObject({
      ViewerProtocolPolicy: 'https-only',
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // Managed-CachingDisabled
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac', // Managed-AllViewerExceptHostHeader
    });
    const origin = (distribution.Origins as Record<string, unknown>[]).find((o) => o.Id === api?.TargetOriginId);
    expect(JSON.stringify(origin?.DomainName)).toContain(`{"Ref":"${restApiId}"}`);
    expect(origin?.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
  });

  it('has a user pool no one can sign up to, with a strong password policy and MFA required', () => {
    const pool = only('AWS::Cognito::UserPool');
    expect(pool.AdminCreateUserConfig).toMatchObject({ AllowAdminCreateUserOnly: true });
    expect(pool.MfaConfiguration).toBe('ON');
    expect(pool.EnabledMfas).toEqual(['SOFTWARE_TOKEN_MFA']);
    expect((pool.Policies as { PasswordPolicy: Record<string, unknown> }).PasswordPolicy).toMatchObject({
      MinimumLength: 14,
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
    });
    const client = only('AWS::Cognito::UserPoolClient');
    expect(client.GenerateSecret).toBe(false);
    expect(client.ExplicitAuthFlows).toEqual(
      expect.arrayContaining(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']),
    );
  });

  it('has no unauthenticated identities: only the user pool signs in, and a user in no group gets no role', () => {
    const identityPool = only('AWS::Cognito::IdentityPool');
    expect(identityPool.AllowUnauthenticatedIdentities).toBe(false);
    expect(identityPool.AllowClassicFlow).toBe(false);
    expect(identityPool.CognitoIdentityProviders).toHaveLength(1);
    expect(identityPool.SupportedLoginProviders).toBeUndefined();
    const attachment = only('AWS::Cognito::IdentityPoolRoleAttachment');
    expect(attachment.Roles).toBeUndefined();
    expect(Object.values(attachment.RoleMappings as object)).toEqual([
      expect.objectContaining({ Type: 'Token', AmbiguousRoleResolution: 'Deny' }),
    ]);
    for (const role of Object.values(stack.webConsole.groupRoles)) {
      const trust = resourcesOf(template, 'AWS::IAM::Role')[logicalId(stack, role)]?.Properties
        .AssumeRolePolicyDocument as { Statement: Statement[] };
      expect(trust.Statement).toEqual([
        expect.objectContaining({
          Action: 'sts:AssumeRoleWithWebIdentity',
          Principal: { Federated: 'cognito-identity.amazonaws.com' },
          Condition: {
            StringEquals: {
              'cognito-identity.amazonaws.com:aud': {
                Ref: logicalId(stack, { node: { defaultChild: stack.webConsole.identityPool } }),
              },
            },
            'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
          },
        }),
      ]);
    }
  });

  it('maps the admin and viewer groups to their roles', () => {
    const groups = Object.values(resourcesOf(template, 'AWS::Cognito::UserPoolGroup')).map((g) => ({
      name: g.Properties.GroupName,
      role: g.Properties.RoleArn,
    }));
    expect(groups).toEqual(
      expect.arrayContaining([
        { name: 'admin', role: { 'Fn::GetAtt': [logicalId(stack, stack.webConsole.groupRoles.admin), 'Arn'] } },
        { name: 'viewer', role: { 'Fn::GetAtt': [logicalId(stack, stack.webConsole.groupRoles.viewer), 'Arn'] } },
      ]),
    );
    expect(groups).toHaveLength(2);
  });

  it('lets the viewer role invoke only the reading routes of this API: the GET routes and the check, which launches nothing', () => {
    const routes = invokeRoutes(logicalId(stack, stack.webConsole.groupRoles.viewer));
    expect(routes.sort()).toEqual(
      expected(API_ROUTES.filter((r) => r.method === 'GET' || r.path === '/plans/{planId}/check')),
    );
    for (const r of routes) expect(r).toMatch(/^GET |^POST \/plans\/\*\/check$/);
  });

  it('lets the admin role invoke every route of this API and nothing else', () => {
    expect(invokeRoutes(logicalId(stack, stack.webConsole.groupRoles.admin)).sort()).toEqual(expected(API_ROUTES));
  });

  it('deploys config.json beside the assets with the region, API, user pool, client and identity pool', () => {
    const deployment = only('Custom::CDKBucketDeployment');
    expect(deployment.DestinationBucketName).toEqual({ Ref: assetsBucketId });
    expect(deployment.SourceObjectKeys).toHaveLength(2);
    const markers = JSON.stringify(deployment.SourceMarkers);
    for (const ref of [
      stack.webConsole.userPool,
      stack.webConsole.userPoolClient,
      { node: { defaultChild: stack.webConsole.identityPool } },
    ]) {
      expect(markers).toContain(`"Ref":"${logicalId(stack, ref)}"`);
    }
    expect(markers).toContain(`"Ref":"${restApiId}"`);
    expect(markers).toContain('"Ref":"AWS::Region"');
    expect(deployment.DistributionPaths).toEqual(['/*']);
  });

  it('outputs the console URL and its user pool', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(JSON.stringify(outputs.ConsoleUrl?.Value)).toContain('DomainName');
    expect(outputs.ConsoleUserPoolId?.Value).toEqual({ Ref: logicalId(stack, stack.webConsole.userPool) });
  });

  it('refuses to synthesize without a built console, naming the missing file and the build command', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [], consoleAssetsDirectory: '/nonexistent/console' } });
    expect(() => buildApp(app)).toThrow(/\/nonexistent\/console\/index\.html is missing.*npm run build:console/);
  });
});
