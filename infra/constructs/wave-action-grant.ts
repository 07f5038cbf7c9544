import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { ENV } from '../../functions/shared/env';
import { LAMBDA_FUNCTION_ARN } from '../../functions/shared/wave-actions-schema';
import { acknowledgeWildcardResources } from './nag';

/**
 * The Lambda functions the deployer lets plans run as wave actions (context
 * `waveActionFunctionArns`, comma-separated, and/or `waveActionFunctionPrefix`, a function name
 * prefix). Never `lambda:*` or `*`: the state machine may invoke exactly these, and the first task
 * refuses a plan naming any other (`functions/shared/wave-action-grant.ts`, through the
 * environment below). Neither given: no grant at all, and a plan with actions is refused.
 */
export interface WaveActionFunctions {
  /** Function ARNs (unqualified: each is granted with its versions and aliases). */
  readonly functionArns?: readonly string[];
  /** A function name prefix: `arn:<partition>:lambda:<region>:<account>:function:<prefix>*`. */
  readonly functionNamePrefix?: string;
}

const FUNCTION_NAME_PREFIX = /^[A-Za-z0-9_-]{1,63}$/;

/** Refuses what would widen the grant past what was named: an empty or wildcard prefix, an ARN that is not one function's. */
export function checkWaveActionFunctions(functions: WaveActionFunctions): void {
  const problems = [
    ...(functions.functionArns ?? [])
      .filter((arn) => !LAMBDA_FUNCTION_ARN.test(arn) || arn.includes('*') || /:function:[^:]+:/.test(arn))
      .map(
        (arn) =>
          `waveActionFunctionArns: "${arn}" is not an unqualified Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>)`,
      ),
    ...(functions.functionNamePrefix !== undefined && !FUNCTION_NAME_PREFIX.test(functions.functionNamePrefix)
      ? [
          `waveActionFunctionPrefix: "${functions.functionNamePrefix}" is not the start of a function name (1-63 letters, digits, '-' or '_'; no wildcard)`,
        ]
      : []),
  ];
  if (problems.length > 0) throw new Error(problems.join('; '));
}

/** The ARN prefix in this stack's partition, region and account. */
export function functionArnPrefix(scope: IConstruct, namePrefix: string): string {
  const stack = Stack.of(scope);
  return `arn:${stack.partition}:lambda:${stack.region}:${stack.account}:function:${namePrefix}`;
}

/** The environment the first task reads the grant from (empty: no action function may be invoked). */
export function waveActionEnvironment(scope: IConstruct, functions: WaveActionFunctions): Record<string, string> {
  return {
    ...(functions.functionArns?.length ? { [ENV.waveActionFunctionArns]: functions.functionArns.join(',') } : {}),
    ...(functions.functionNamePrefix
      ? { [ENV.waveActionFunctionArnPrefix]: functionArnPrefix(scope, functions.functionNamePrefix) }
      : {}),
  };
}

/** `lambda:InvokeFunction` for the state machine's role on exactly the named functions; nothing when none is named. */
export function grantWaveActionInvoke(role: iam.IRole, scope: IConstruct, functions: WaveActionFunctions): void {
  checkWaveActionFunctions(functions);
  const exact = functions.functionArns ?? [];
  const qualified = exact.map((arn) => `${arn}:*`);
  const prefixed = functions.functionNamePrefix ? [`${functionArnPrefix(scope, functions.functionNamePrefix)}*`] : [];
  const resources = [...exact, ...qualified, ...prefixed];
  if (resources.length === 0) return;
  const policy = new iam.Policy(scope, 'WaveActionInvokePolicy', {
    statements: [new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources })],
    roles: [role],
  });
  acknowledgeWildcardResources(
    policy,
    [...qualified, ...prefixed],
    'Wave actions: lambda:InvokeFunction only on the functions the deployer named (context waveActionFunctionArns, each with its versions and aliases, as grantInvoke grants them) or on the function-name prefix the deployer chose (context waveActionFunctionPrefix, at least one character, in this account and region); the first task refuses a plan naming any other function.',
  );
}
