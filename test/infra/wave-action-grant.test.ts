import { AwsSolutionsChecks } from 'cdk-nag';
import { actionsOf, logicalId, resourceListOf, statementsOfRole, synthesize } from './synth';

const SMOKE = 'arn:aws:lambda:eu-west-1:111122223333:function:shop-smoke-test';
const DRAIN = 'arn:aws:lambda:eu-west-1:111122223333:function:shop-drain';

/** Every resource the state machine's role may call lambda:InvokeFunction on, outside the task functions. */
function actionInvokeResources(context: Record<string, unknown>) {
  const { stack, template, app } = synthesize({ context });
  const roleId = logicalId(stack, stack.workflow.stateMachine.role as never);
  const taskArns = new Set(
    Object.values(stack.tasks.functions).flatMap((fn) => {
      const arn = JSON.stringify(stack.resolve(fn.function.functionArn));
      return [arn, JSON.stringify(stack.resolve(`${fn.function.functionArn}:*`))];
    }),
  );
  const statements = statementsOfRole(template, roleId).filter((s) => s.Effect === 'Allow');
  const invoke = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('lambda:')));
  const resources = invoke.flatMap(resourceListOf).filter((r) => !taskArns.has(JSON.stringify(r)));
  return { stack, app, template, statements, invoke, resources };
}

describe('the wave action grant', () => {
  it('grants no lambda:InvokeFunction beyond the task functions when the deployer names no action function', () => {
    const { resources, invoke } = actionInvokeResources({});

    expect(resources).toEqual([]);
    for (const statement of invoke) expect(actionsOf(statement)).toEqual(['lambda:InvokeFunction']);
  });

  it('grants exactly the named functions (with their versions and aliases) and tells the first task', () => {
    const { resources, invoke, stack, template } = actionInvokeResources({
      waveActionFunctionArns: `${SMOKE}, ${DRAIN}`,
    });

    expect(resources).toEqual([SMOKE, DRAIN, `${SMOKE}:*`, `${DRAIN}:*`]);
    for (const statement of invoke) {
      expect(actionsOf(statement)).toEqual(['lambda:InvokeFunction']);
      for (const resource of resourceListOf(statement)) expect(resource).not.toBe('*');
    }
    const begin = stack.tasks.functions.BeginExecutionFunctionArn;
    const props = template.findResources('AWS::Lambda::Function')[logicalId(stack, begin?.function as never)]
      ?.Properties as { Environment: { Variables: Record<string, unknown> } };
    expect(props.Environment.Variables.WAVE_ACTION_FUNCTION_ARNS).toBe(`${SMOKE},${DRAIN}`);
    expect(props.Environment.Variables.WAVE_ACTION_FUNCTION_ARN_PREFIX).toBeUndefined();
  });

  it("grants a function-name prefix in the stack's own partition, region and account", () => {
    const { resources } = actionInvokeResources({ waveActionFunctionPrefix: 'dr-action-' });

    expect(resources).toEqual([
      {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':lambda:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':function:dr-action-*',
          ],
        ],
      },
    ]);
    expect(JSON.stringify(resources)).not.toMatch(/"lambda:\*"|"\*"/);
  });

  it('refuses a wildcard or empty prefix and an ARN that is not one unqualified function', () => {
    expect(() => synthesize({ context: { waveActionFunctionPrefix: '*' } })).toThrow(/waveActionFunctionPrefix: "\*"/);
    expect(() =>
      synthesize({ context: { waveActionFunctionArns: 'arn:aws:lambda:eu-west-1:111122223333:function:*' } }),
    ).toThrow(/is not an unqualified Lambda function ARN/);
    expect(() => synthesize({ context: { waveActionFunctionArns: `${SMOKE}:live` } })).toThrow(
      /is not an unqualified Lambda function ARN/,
    );
  });

  it('leaves cdk-nag clean, the grant acknowledged with its reason', () => {
    const { app } = actionInvokeResources({ waveActionFunctionArns: SMOKE, waveActionFunctionPrefix: 'dr-action-' });
    const report = new AwsSolutionsChecks(app, { verbose: true }).validateScope(app);

    expect(report.violations).toEqual([]);
  });
});
