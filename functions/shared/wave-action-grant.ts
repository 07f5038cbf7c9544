import type { Plan } from './types';

/**
 * Which Lambda functions the deployment may invoke as wave actions: what the deployer named (CDK
 * context `waveActionFunctionArns` or `waveActionFunctionPrefix`, `docs/deploy.md`), the same list
 * the stack grants `lambda:InvokeFunction` on. Nothing named: no function, so a plan with actions
 * is refused before anything is launched, not failed hours later at its first action.
 */
export interface ActionGrant {
  /** Function ARNs, each granted with its versions and aliases (`<arn>` and `<arn>:*`). */
  functionArns: readonly string[];
  /** `arn:<partition>:lambda:<region>:<account>:function:<name prefix>`: every function whose ARN starts so (`<prefix>*`). */
  functionArnPrefix?: string;
}

/** Whether the grant covers this ARN exactly as IAM would: a named function (or a version or alias of it), or the prefix. */
export function allowsInvoke(grant: ActionGrant, arn: string): boolean {
  if (grant.functionArnPrefix && arn.startsWith(grant.functionArnPrefix)) return true;
  return grant.functionArns.some((named) => arn === named || arn.startsWith(`${named}:`));
}

/** Every action of the plan the deployment may not invoke, naming its wave and itself (for InvalidPlan). */
export function actionGrantProblems(plan: Plan, grant: ActionGrant): string[] {
  const granted = grantText(grant);
  return plan.waves.flatMap((wave, w) =>
    (['preWaveActions', 'postWaveActions'] as const).flatMap((field) =>
      (wave[field] ?? []).flatMap((action, a) =>
        allowsInvoke(grant, action.lambdaFunctionArn)
          ? []
          : [
              `plan.waves[${w}].${field}[${a}].lambdaFunctionArn: wave '${wave.name}' action '${action.name}' calls ${action.lambdaFunctionArn}, which this deployment may not invoke (${granted}): name it in the context waveActionFunctionArns or waveActionFunctionPrefix and deploy again (docs/deploy.md)`,
            ],
      ),
    ),
  );
}

function grantText(grant: ActionGrant): string {
  const named = [...grant.functionArns, ...(grant.functionArnPrefix ? [`${grant.functionArnPrefix}*`] : [])];
  return named.length === 0 ? 'it was deployed with no wave action functions' : `it may invoke ${named.join(', ')}`;
}

/** The grant from its two environment values: a comma-separated ARN list and a prefix, either may be empty. */
export function parseActionGrant(arns: string | undefined, prefix: string | undefined): ActionGrant {
  return {
    functionArns: (arns ?? '')
      .split(',')
      .map((arn) => arn.trim())
      .filter(Boolean),
    ...(prefix?.trim() ? { functionArnPrefix: prefix.trim() } : {}),
  };
}
