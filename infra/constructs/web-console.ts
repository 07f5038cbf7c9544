import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { API_ROUTES } from '../../functions/api/routes';
import { acknowledge, acknowledgeWildcardResources } from './nag';
import { acknowledgeRouteWildcards, routeResources } from './operator-policies';

/** The console's Vite build output (`npm run build:console`). */
export const CONSOLE_BUILD_DIR = join(__dirname, '..', '..', 'console', 'dist');

/** The user pool groups and what their members may call: admin every route, viewer only the reading routes (the GET routes and the check, which launches nothing). */
export const CONSOLE_GROUPS = {
  admin: API_ROUTES,
  viewer: API_ROUTES.filter((route) => route.access === 'read'),
} as const;

export interface WebConsoleProps {
  readonly api: RestApi;
  readonly stageName: string;
  /**
   * The directory of the built console (its `index.html` and assets).
   * @default CONSOLE_BUILD_DIR
   */
  readonly assetsDirectory?: string;
}

/**
 * The web console on AWS. Its static build sits in a private bucket that only this CloudFront
 * distribution reads (origin access control); the API's stage path (`/v1/*`) is a second behaviour
 * of the same distribution, so the browser calls the API on the console's own origin (no CORS, no
 * unauthenticated OPTIONS method) and the request still carries the caller's SigV4 signature, which
 * API Gateway checks as before (the console signs for the API's own host, the one CloudFront sends).
 *
 * Users sign in with a user pool that nobody can sign up to (an administrator creates each user),
 * and get temporary credentials from an identity pool with no unauthenticated identities: the role
 * is the one of the user's group (admin: every route; viewer: the reading routes), and a user in no
 * group gets no credentials at all (ambiguous role resolution: Deny).
 */
export class WebConsole extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  readonly identityPool: cognito.CfnIdentityPool;
  readonly groupRoles: Record<keyof typeof CONSOLE_GROUPS, iam.Role>;

  constructor(scope: Construct, id: string, props: WebConsoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const assets = props.assetsDirectory ?? CONSOLE_BUILD_DIR;
    if (!existsSync(join(assets, 'index.html'))) {
      throw new Error(
        `The web console is not built: ${join(assets, 'index.html')} is missing. Run \`npm run build:console\` first.`,
      );
    }

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      // Who may start a RECOVERY is decided by an administrator, never by whoever finds the page.
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // A console that can start a failover or terminate instances: a password alone is not enough.
      // TOTP only (an authenticator app): SMS needs an SNS spending setup and is the weaker factor.
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      // Plus: threat protection (compromised credentials, risky sign-ins) blocks, not only logs.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
    });

    // A browser holds no secret; USER_PASSWORD_AUTH is what console/src/aws-session.ts sends (over TLS), SRP kept for SDKs.
    this.userPoolClient = this.userPool.addClient('Client', {
      generateSecret: false,
      authFlows: { userPassword: true, userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });

    this.identityPool = new cognito.CfnIdentityPool(this, 'IdentityPool', {
      allowUnauthenticatedIdentities: false,
      // The basic (classic) flow would let a caller pick any role the pool may assume.
      allowClassicFlow: false,
      cognitoIdentityProviders: [
        {
          clientId: this.userPoolClient.userPoolClientId,
          providerName: this.userPool.userPoolProviderName,
          serverSideTokenCheck: true,
        },
      ],
    });

    const groupRole = (name: keyof typeof CONSOLE_GROUPS, precedence: number, what: string): iam.Role => {
      const role = new iam.Role(this, `${name.charAt(0).toUpperCase()}${name.slice(1)}Role`, {
        description: `drs-orchestrator console, ${name} group: ${what}`,
        maxSessionDuration: Duration.hours(1),
        assumedBy: new iam.FederatedPrincipal(
          'cognito-identity.amazonaws.com',
          {
            StringEquals: { 'cognito-identity.amazonaws.com:aud': this.identityPool.ref },
            'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' },
          },
          'sts:AssumeRoleWithWebIdentity',
        ),
      });
      const routes = CONSOLE_GROUPS[name];
      const policy = new iam.Policy(this, `${name.charAt(0).toUpperCase()}${name.slice(1)}Policy`, {
        statements: [
          new iam.PolicyStatement({
            actions: ['execute-api:Invoke'],
            resources: routeResources(props.api, props.stageName, routes),
          }),
        ],
      });
      policy.attachToRole(role);
      acknowledgeRouteWildcards(policy, props.api, props.stageName, routes);
      new cognito.CfnUserPoolGroup(this, `${name.charAt(0).toUpperCase()}${name.slice(1)}Group`, {
        userPoolId: this.userPool.userPoolId,
        groupName: name,
        precedence,
        roleArn: role.roleArn,
        description: what,
      });
      return role;
    };
    this.groupRoles = {
      admin: groupRole('admin', 0, 'every route of the API: plans, drills, RECOVERY, cancel, cleanup'),
      viewer: groupRole('viewer', 1, 'read plans, executions and reports; change nothing'),
    };

    new cognito.CfnIdentityPoolRoleAttachment(this, 'RoleAttachment', {
      identityPoolId: this.identityPool.ref,
      // No `authenticated` default role: the role is the group's, and a user in no group is refused.
      roleMappings: {
        userPool: {
          type: 'Token',
          ambiguousRoleResolution: 'Deny',
          identityProvider: `${this.userPool.userPoolProviderName}:${this.userPoolClient.userPoolClientId}`,
        },
      },
    });

    this.bucket = new s3.Bucket(this, 'Assets', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: false,
    });
    acknowledge(
      this.bucket,
      'AwsSolutions-S1',
      "The bucket holds the console's build output and config.json, both derived from the source and the stack outputs, read only by CloudFront: who calls the API is in the API's access logs and CloudTrail, sign-ins in Cognito.",
    );

    const region = stack.region;
    const cognitoEndpoints = [
      `https://cognito-idp.${region}.${stack.urlSuffix}`,
      `https://cognito-identity.${region}.${stack.urlSuffix}`,
    ];
    const headers = new cloudfront.ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'drs-orchestrator console: security headers',
      securityHeadersBehavior: {
        // The API is on this origin (/v1/*); the browser otherwise talks only to Cognito.
        contentSecurityPolicy: {
          contentSecurityPolicy: [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            `connect-src 'self' ${cognitoEndpoints.join(' ')}`,
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
          ].join('; '),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          override: true,
        },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });

    const apiHost = `${props.api.restApiId}.execute-api.${region}.${stack.urlSuffix}`;
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'drs-orchestrator web console',
      defaultRootObject: 'index.html',
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: headers,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      },
      additionalBehaviors: {
        // Nothing cached, every viewer header but Host passed: API Gateway checks the caller's signature.
        [`/${props.stageName}/*`]: {
          origin: new HttpOrigin(apiHost, {
            protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
          }),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
        },
      },
    });
    acknowledgeDistribution(this.distribution);

    const deployment = new BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      sources: [
        Source.asset(assets),
        Source.jsonData('config.json', {
          mode: 'aws',
          region,
          apiUrl: `/${props.stageName}/`,
          apiHost,
          userPoolId: this.userPool.userPoolId,
          userPoolClientId: this.userPoolClient.userPoolClientId,
          identityPoolId: this.identityPool.ref,
        }),
      ],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
    });
    acknowledgeDeployment(deployment, this.bucket);
  }

  /** `https://<id>.cloudfront.net/` */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}/`;
  }
}

function acknowledgeDistribution(distribution: cloudfront.Distribution): void {
  acknowledge(
    distribution,
    'AwsSolutions-CFR1',
    'Operators may be anywhere during a disaster (that is when the console is used): no country is refused. Every API call needs a signed-in user of the pool and a group role.',
  );
  acknowledge(
    distribution,
    'AwsSolutions-CFR2',
    'WAF is out of scope, as for the API stage: the assets are static, and an API call through /v1/* without a valid SigV4 signature of a group role is refused by API Gateway before any integration runs. Attach a web ACL if your organisation requires one.',
  );
  acknowledge(
    distribution,
    'AwsSolutions-CFR3',
    "CloudFront's standard logs need an ACL-enabled log bucket; the requests that matter (API calls) are in the API's access logs with the caller's identity, and sign-ins in Cognito.",
  );
  acknowledge(
    distribution,
    'AwsSolutions-CFR4',
    "The distribution uses CloudFront's default certificate (*.cloudfront.net), with which CloudFront does not apply a minimum TLS version; browsers negotiate TLS 1.2 or 1.3. A custom domain with its own certificate and TLSv1.2_2021 is the way to enforce it.",
  );
}

/** CDK's own deployment function (a singleton of the stack): what it needs to copy the assets and invalidate. */
function acknowledgeDeployment(deployment: BucketDeployment, bucket: s3.Bucket): void {
  const stack = Stack.of(deployment);
  const handler = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (!handler)
    throw new Error('the BucketDeployment function was not found: its cdk-nag findings cannot be acknowledged');
  const role = handler.node.findChild('ServiceRole');
  const why =
    "CDK's BucketDeployment function (aws-cdk-lib's own code, run once per deployment): it reads the CDK asset bucket and replaces the console's files in its own bucket, then invalidates the distribution; CDK grants these and nothing wider.";
  acknowledge(
    role,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    `${why} AWSLambdaBasicExecutionRole lets it write its own logs.`,
  );
  const policy = role.node.findChild('DefaultPolicy');
  for (const action of ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*']) {
    acknowledge(
      policy,
      `AwsSolutions-IAM5[Action::${action}]`,
      `${why} The S3 action groups are CDK's grantRead/grantReadWrite.`,
    );
  }
  acknowledgeWildcardResources(
    policy,
    [`arn:${stack.partition}:s3:::cdk-hnb659fds-assets-${stack.account}-${stack.region}/*`, `${bucket.bucketArn}/*`],
    `${why} The objects of the CDK asset bucket and of the console's bucket.`,
  );
  acknowledgeWildcardResources(
    policy,
    ['*'],
    `${why} cloudfront:CreateInvalidation and GetInvalidation, which CDK grants on * (an invalidation has no ARN before it exists).`,
  );
  acknowledge(
    handler,
    'AwsSolutions-L1',
    "CDK's BucketDeployment function: aws-cdk-lib chooses its runtime (it ships the code for it), and a newer aws-cdk-lib moves it on; the stack's own functions run the latest Node.js.",
  );
}
