import type { CfnElement } from 'aws-cdk-lib';
import { API_ROUTES } from '../../functions/api/routes';
import { resourcesOf, synthesize } from './synth';

const { stack, template } = synthesize();
const ACCOUNT = '111122223333';
const API_ID = 'a1b2c3d4e5';
const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement);
const restApiId = logicalId(stack.api.api);

/** The template's value with the pseudo parameters and the API's ID filled in, as IAM sees it once deployed. */
function resolve(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as Record<string, unknown>;
  if ('Fn::Join' in node) {
    const [delimiter, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map(resolve).join(delimiter);
  }
  if ('Ref' in node) {
    const known: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': 'us-east-1',
      'AWS::AccountId': ACCOUNT,
      [restApiId]: API_ID,
    };
    const resolved = known[node.Ref as string];
    if (resolved === undefined) throw new Error(`no value for Ref ${String(node.Ref)}`);
    return resolved;
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

/** IAM's ARN matching: `*` any run of characters (`/` included), `?` any one character. */
const matches = (pattern: string, arn: string) =>
  new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
  ).test(arn);

/** The ARN API Gateway authorizes a request against. */
const requestArn = (method: string, path: string) =>
  `arn:aws:execute-api:us-east-1:${ACCOUNT}:${API_ID}/v1/${method}${path}`;

/** A concrete request to each route (its path parameters filled in). */
const requests = API_ROUTES.map((route) => ({
  route,
  arn: requestArn(route.method, route.path.replace('{planId}', 'three-tier').replace('{executionId}', 'run-1')),
}));

function policyOf(construct: { node: { defaultChild?: unknown } }) {
  const policy = resourcesOf(template, 'AWS::IAM::ManagedPolicy')[logicalId(construct)];
  if (!policy) throw new Error('no such managed policy in the template');
  const document = policy.Properties.PolicyDocument as {
    Statement: { Effect: string; Action: unknown; Resource: unknown[] }[];
  };
  const allowed = document.Statement.flatMap((statement) => statement.Resource.map(resolve));
  return {
    document,
    allowed,
    allows: (arn: string) => allowed.some((pattern) => matches(pattern, arn)),
  };
}

const can = (policy: ReturnType<typeof policyOf>) =>
  requests
    .filter(({ arn }) => policy.allows(arn))
    .map(({ route }) => `${route.method} ${route.path}`)
    .sort();

describe('the operator policies', () => {
  const drill = policyOf(stack.operatorPolicies.drillOperator);
  const recovery = policyOf(stack.operatorPolicies.recoveryOperator);

  it('allow only execute-api:Invoke, and nothing is denied by omission of a statement', () => {
    for (const { document } of [drill, recovery]) {
      expect(document.Statement.map((s) => ({ Effect: s.Effect, Action: s.Action }))).toEqual([
        { Effect: 'Allow', Action: 'execute-api:Invoke' },
      ]);
    }
  });

  it('let the drill operator read and start drills, and not start a RECOVERY, cancel or change plans', () => {
    expect(can(drill)).toEqual(
      [
        'GET /executions',
        'GET /executions/{executionId}',
        'GET /executions/{executionId}/report',
        'GET /plans',
        'GET /plans/{planId}',
        'POST /plans/{planId}/check',
        'POST /plans/{planId}/drills',
        // Deciding a gate continues or stops a run someone allowed to start already (docs/security.md).
        'POST /executions/{executionId}/waves/{waveIndex}/approval',
      ].sort(),
    );
    expect(drill.allows(requestArn('POST', '/plans/three-tier/recoveries'))).toBe(false);
    expect(drill.allows(requestArn('POST', '/plans/a.b/recoveries'))).toBe(false);
    expect(drill.allows(requestArn('POST', '/executions/run-1/cancel'))).toBe(false);
  });

  it('let the recovery operator also start a RECOVERY and cancel, and not change plans', () => {
    expect(can(recovery)).toEqual(
      [
        'GET /executions',
        'GET /executions/{executionId}',
        'GET /executions/{executionId}/report',
        'GET /plans',
        'GET /plans/{planId}',
        'POST /plans/{planId}/check',
        'POST /plans/{planId}/drills',
        'POST /plans/{planId}/recoveries',
        'POST /executions/{executionId}/cancel',
        'POST /executions/{executionId}/waves/{waveIndex}/approval',
        // It terminates instances: the recovery operator's, as cancelling is.
        'POST /executions/{executionId}/cleanup',
      ].sort(),
    );
  });

  it('name routes of this API and stage v1 only', () => {
    for (const pattern of [...drill.allowed, ...recovery.allowed]) {
      expect(pattern.startsWith(`arn:aws:execute-api:us-east-1:${ACCOUNT}:${API_ID}/v1/`)).toBe(true);
      expect(matches(pattern, requestArn('POST', '/plans/x/recoveries').replace('/v1/', '/v2/'))).toBe(false);
    }
  });

  it('are stack outputs', () => {
    template.hasOutput('DrillOperatorPolicyArn', { Value: { Ref: logicalId(stack.operatorPolicies.drillOperator) } });
    template.hasOutput('RecoveryOperatorPolicyArn', {
      Value: { Ref: logicalId(stack.operatorPolicies.recoveryOperator) },
    });
  });
});
