import { ENV, readDrsLimits, readEventsEnv, readTaskEnv } from '../../../functions/shared/env';

describe('readTaskEnv', () => {
  const base = { EXECUTIONS_TABLE_NAME: 'executions', AWS_REGION: 'eu-west-1' };

  it('returns the tables, the region, the default DRS quotas and no wave action function', () => {
    expect(readTaskEnv(base)).toEqual({
      executionsTableName: 'executions',
      region: 'eu-west-1',
      drsLimits: { maxServersPerJob: 100, maxConcurrentJobs: 20, maxServersInAllJobs: 500 },
      actionGrant: { functionArns: [] },
    });
  });

  it('reads the wave action functions the stack may invoke: a comma-separated ARN list and an ARN prefix', () => {
    const arn = 'arn:aws:lambda:eu-west-1:111122223333:function:smoke';
    const env = readTaskEnv({
      ...base,
      WAVE_ACTION_FUNCTION_ARNS: ` ${arn}, ${arn}-2 `,
      WAVE_ACTION_FUNCTION_ARN_PREFIX: 'arn:aws:lambda:eu-west-1:111122223333:function:dr-',
    });

    expect(env.actionGrant).toEqual({
      functionArns: [arn, `${arn}-2`],
      functionArnPrefix: 'arn:aws:lambda:eu-west-1:111122223333:function:dr-',
    });
  });

  it('fails naming a missing variable', () => {
    expect(() => readTaskEnv({ AWS_REGION: 'eu-west-1' })).toThrow(
      'environment variable EXECUTIONS_TABLE_NAME is not set',
    );
  });

  it('fails naming a missing pair of variables together, in one error', () => {
    expect(() => readTaskEnv({ PLANS_TABLE_NAME: 'plans' })).toThrow(
      new Error('environment variables EXECUTIONS_TABLE_NAME, AWS_REGION are not set'),
    );
  });

  it('fails naming the missing variables and the bad quota at once', () => {
    expect(() => readTaskEnv({ [ENV.region]: 'eu-west-1', [ENV.maxConcurrentJobs]: 'many' })).toThrow(
      new Error(
        'environment variable EXECUTIONS_TABLE_NAME is not set; environment variable DRS_MAX_CONCURRENT_JOBS must be a whole number of at least 1 (got "many")',
      ),
    );
  });

  it('reads the plans table where the stack sets it, and treats an empty one as absent', () => {
    expect(readTaskEnv({ ...base, PLANS_TABLE_NAME: 'plans' }).plansTableName).toBe('plans');
    expect(readTaskEnv({ ...base, PLANS_TABLE_NAME: '' })).not.toHaveProperty('plansTableName');
  });
});

describe('readEventsEnv', () => {
  it('returns the table, the topic, the state machines, the reports bucket and the Region', () => {
    expect(
      readEventsEnv({
        EXECUTIONS_TABLE_NAME: 'executions',
        NOTIFICATION_TOPIC_ARN: 'arn:topic',
        STATE_MACHINE_ARN: 'arn:state-machine',
        CLEANUP_STATE_MACHINE_ARN: 'arn:cleanup-state-machine',
        REPORTS_BUCKET_NAME: 'reports',
        AWS_REGION: 'eu-west-1',
      }),
    ).toEqual({
      executionsTableName: 'executions',
      notificationTopicArn: 'arn:topic',
      stateMachineArn: 'arn:state-machine',
      cleanupStateMachineArn: 'arn:cleanup-state-machine',
      reportsBucketName: 'reports',
      region: 'eu-west-1',
    });
  });

  it('fails naming every missing variable at once', () => {
    expect(() => readEventsEnv({ AWS_REGION: 'eu-west-1' })).toThrow(
      new Error(
        'environment variables EXECUTIONS_TABLE_NAME, NOTIFICATION_TOPIC_ARN, STATE_MACHINE_ARN, CLEANUP_STATE_MACHINE_ARN, REPORTS_BUCKET_NAME are not set',
      ),
    );
  });
});

describe('readDrsLimits', () => {
  it("returns the account's quotas where the environment overrides them", () => {
    expect(readDrsLimits({ DRS_MAX_SERVERS_PER_JOB: '50', DRS_MAX_SERVERS_IN_ALL_JOBS: '1000' })).toEqual({
      maxServersPerJob: 50,
      maxConcurrentJobs: 20,
      maxServersInAllJobs: 1000,
    });
  });

  it.each(['0', '-3', '2.5', 'many'])('fails for a quota of %s', (value) => {
    expect(() => readDrsLimits({ DRS_MAX_CONCURRENT_JOBS: value })).toThrow(
      `environment variable DRS_MAX_CONCURRENT_JOBS must be a whole number of at least 1 (got "${value}")`,
    );
  });
});
