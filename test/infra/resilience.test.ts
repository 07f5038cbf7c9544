import { DEFAULT_API_THROTTLING } from '../../infra/constructs/orchestrator-api';
import { DEFAULT_TASK_RESERVED_CONCURRENCY, WORKFLOW_TASKS } from '../../infra/constructs/task-functions';
import { resourcesOf, type Synthesized, synthesize } from './synth';

/**
 * Issue 15, item 2: API traffic cannot starve a running recovery (the task functions have
 * concurrency of their own, the API stage is throttled), and the account-wide API Gateway logging
 * role is replaced only when the deployment says so.
 */
const reservedOf = ({ stack, template }: Synthesized) => {
  const functions = resourcesOf(template, 'AWS::Lambda::Function');
  const idOf = (fn: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(fn.node.defaultChild as Parameters<typeof stack.getLogicalId>[0]);
  return {
    tasks: Object.values(stack.tasks.functions).map(
      (fn) => functions[idOf(fn.function)]?.Properties.ReservedConcurrentExecutions,
    ),
    api: functions[idOf(stack.api.handler.function)]?.Properties.ReservedConcurrentExecutions,
  };
};
const stageOf = ({ template }: Synthesized) => Object.values(resourcesOf(template, 'AWS::ApiGateway::Stage'))[0];

describe('resilience of a running recovery', () => {
  const defaults = synthesize();

  it('reserves concurrency for each workflow task function, 10 by default, and none for the API', () => {
    expect(reservedOf(defaults)).toEqual({
      tasks: Array(Object.keys(WORKFLOW_TASKS).length).fill(DEFAULT_TASK_RESERVED_CONCURRENCY),
      api: undefined,
    });
    expect(DEFAULT_TASK_RESERVED_CONCURRENCY).toBe(10);
  });

  it('throttles the v1 stage, 10 requests per second with a burst of 20 by default', () => {
    expect(stageOf(defaults)?.Properties.MethodSettings).toEqual([
      expect.objectContaining({
        HttpMethod: '*',
        ResourcePath: '/*',
        ThrottlingRateLimit: DEFAULT_API_THROTTLING.rateLimit,
        ThrottlingBurstLimit: DEFAULT_API_THROTTLING.burstLimit,
      }),
    ]);
    expect(DEFAULT_API_THROTTLING).toEqual({ rateLimit: 10, burstLimit: 20 });
  });

  it("sets the account's API Gateway logging role by default (docs/deploy.md says so), kept on delete", () => {
    const accounts = Object.values(resourcesOf(defaults.template, 'AWS::ApiGateway::Account'));
    expect(accounts).toHaveLength(1);
    expect(accounts[0]).toMatchObject({ DeletionPolicy: 'Retain' });
  });

  it('takes the reserved concurrency, the throttling and the logging role from context; 0 reserves none', () => {
    const configured = synthesize({
      context: {
        taskReservedConcurrency: '0',
        apiThrottlingRateLimit: '50',
        apiThrottlingBurstLimit: '100',
        apiGatewayCloudWatchRole: 'false',
      },
    });

    expect(reservedOf(configured)).toEqual({ tasks: Array(4).fill(undefined), api: undefined });
    expect(stageOf(configured)?.Properties.MethodSettings).toEqual([
      expect.objectContaining({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }),
    ]);
    expect(resourcesOf(configured.template, 'AWS::ApiGateway::Account')).toEqual({});
    expect(JSON.stringify(resourcesOf(configured.template, 'AWS::IAM::Role'))).not.toContain(
      'AmazonAPIGatewayPushToCloudWatchLogs',
    );
  });

  it.each([
    [
      { taskReservedConcurrency: '-1' },
      'context taskReservedConcurrency must be a whole number of at least 0 (got "-1")',
    ],
    [{ apiThrottlingRateLimit: '0' }, 'context apiThrottlingRateLimit must be a whole number of at least 1 (got "0")'],
    [{ apiGatewayCloudWatchRole: 'no' }, 'context apiGatewayCloudWatchRole must be "true" or "false" (got "no")'],
  ])('refuses context %j, naming it', (context, message) => {
    expect(() => synthesize({ context })).toThrow(message);
  });
});
