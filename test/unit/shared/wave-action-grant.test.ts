import type { Plan } from '../../../functions/shared/types';
import { actionGrantProblems, allowsInvoke, parseActionGrant } from '../../../functions/shared/wave-action-grant';

const ARN = 'arn:aws:lambda:us-east-1:111122223333:function:smoke';

const plan = (arns: string[]): Plan => ({
  planId: 'p',
  name: 'P',
  pollIntervalSeconds: 30,
  waves: [
    {
      name: 'Web',
      sourceServerIDs: ['s-00000000000000001'],
      timeoutMinutes: 30,
      postWaveActions: arns.map((lambdaFunctionArn, i) => ({ name: `A${i}`, lambdaFunctionArn, timeoutSeconds: 60 })),
    },
  ],
});

describe('allowsInvoke', () => {
  it('allows a named function, its versions and aliases, and nothing that merely starts with its name', () => {
    const grant = { functionArns: [ARN] };
    expect(allowsInvoke(grant, ARN)).toBe(true);
    expect(allowsInvoke(grant, `${ARN}:live`)).toBe(true);
    expect(allowsInvoke(grant, `${ARN}-other`)).toBe(false);
  });

  it('allows every function whose ARN starts with the prefix', () => {
    const grant = { functionArns: [], functionArnPrefix: 'arn:aws:lambda:us-east-1:111122223333:function:dr-' };
    expect(allowsInvoke(grant, 'arn:aws:lambda:us-east-1:111122223333:function:dr-smoke')).toBe(true);
    expect(allowsInvoke(grant, 'arn:aws:lambda:us-east-1:999999999999:function:dr-smoke')).toBe(false);
  });

  it('allows nothing when nothing was named', () => {
    expect(allowsInvoke(parseActionGrant(undefined, undefined), ARN)).toBe(false);
  });
});

describe('actionGrantProblems', () => {
  it('names the wave and the action of every function the deployment may not invoke', () => {
    const other = ARN.replace('smoke', 'drain');
    expect(actionGrantProblems(plan([ARN, other]), { functionArns: [ARN] })).toEqual([
      `plan.waves[0].postWaveActions[1].lambdaFunctionArn: wave 'Web' action 'A1' calls ${other}, which this deployment may not invoke (it may invoke ${ARN}): name it in the context waveActionFunctionArns or waveActionFunctionPrefix and deploy again (docs/deploy.md)`,
    ]);
  });

  it('says when the deployment was given no action function at all', () => {
    expect(actionGrantProblems(plan([ARN]), parseActionGrant('', ''))[0]).toContain(
      '(it was deployed with no wave action functions)',
    );
  });
});
