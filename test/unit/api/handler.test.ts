import type { Context } from 'aws-lambda';
import { readApiEnv } from '../../../functions/shared/env';
import { parsed, request } from './harness';

const API_ENV = {
  EXECUTIONS_TABLE_NAME: 'executions-prod',
  PLANS_TABLE_NAME: 'plans-prod',
  STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:111122223333:stateMachine:recovery-plan',
  CLEANUP_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:111122223333:stateMachine:drill-cleanup',
  AWS_REGION: 'us-east-1',
};

/** Runs `act` with these variables set (or unset, for undefined) and puts the environment back after. */
async function withEnv(vars: Record<string, string | undefined>, act: () => Promise<void> | void) {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(values)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(vars);
  try {
    await act();
  } finally {
    apply(saved);
  }
}

describe('readApiEnv', () => {
  it('returns the tables, the state machine and the Region', () => {
    expect(readApiEnv(API_ENV)).toEqual({
      executionsTableName: 'executions-prod',
      plansTableName: 'plans-prod',
      stateMachineArn: API_ENV.STATE_MACHINE_ARN,
      cleanupStateMachineArn: API_ENV.CLEANUP_STATE_MACHINE_ARN,
      region: 'us-east-1',
    });
  });

  it('fails naming the missing variable', () => {
    expect(() => readApiEnv({ ...API_ENV, PLANS_TABLE_NAME: '' })).toThrow(
      'environment variable PLANS_TABLE_NAME is not set',
    );
  });

  it('fails naming every missing variable at once', () => {
    expect(() => readApiEnv({ AWS_REGION: 'us-east-1' })).toThrow(
      'environment variables EXECUTIONS_TABLE_NAME, PLANS_TABLE_NAME, STATE_MACHINE_ARN, CLEANUP_STATE_MACHINE_ARN are not set',
    );
  });
});

describe('api handler', () => {
  it('fails at cold start naming the variables it lacks', async () => {
    await withEnv({ ...API_ENV, PLANS_TABLE_NAME: undefined, STATE_MACHINE_ARN: undefined }, () => {
      jest.isolateModules(() => {
        expect(() => require('../../../functions/api/handler')).toThrow(
          'environment variables PLANS_TABLE_NAME, STATE_MACHINE_ARN are not set',
        );
      });
    });
  });

  it('answers a request with the plans table its environment names', async () => {
    await withEnv(API_ENV, () =>
      jest.isolateModulesAsync(async () => {
        // The module registry is fresh here: mock the client classes the handler will load.
        const { mockClient } = require('aws-sdk-client-mock') as typeof import('aws-sdk-client-mock');
        const { DynamoDBDocumentClient, GetCommand } =
          require('@aws-sdk/lib-dynamodb') as typeof import('@aws-sdk/lib-dynamodb');
        const ddb = mockClient(DynamoDBDocumentClient);
        // A whole stored plan: the plan store parses what it reads.
        const stored = { planId: 'p', name: 'P', pollIntervalSeconds: 30, waves: [], createdAt: 'c', updatedAt: 'u' };
        ddb.on(GetCommand).resolves({ Item: stored });
        const { handler } =
          require('../../../functions/api/handler') as typeof import('../../../functions/api/handler');

        const response = await handler(
          request('GET', '/plans/{planId}', { pathParameters: { planId: 'p' } }),
          {} as Context,
        );

        expect(parsed(response)).toEqual({ statusCode: 200, body: stored });
        // (the jest matchers know only the outer registry's stub class, so read the calls directly)
        expect(ddb.commandCalls(GetCommand).map((call) => call.args[0].input)).toEqual([
          { TableName: 'plans-prod', Key: { planId: 'p' }, ConsistentRead: true },
        ]);
        ddb.restore();
      }),
    );
  });
});
