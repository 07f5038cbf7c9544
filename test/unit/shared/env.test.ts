import { readDrsLimits, readTaskEnv } from '../../../functions/shared/env';

describe('readTaskEnv', () => {
  const base = { EXECUTIONS_TABLE_NAME: 'executions', AWS_REGION: 'eu-west-1' };

  it('returns the tables, the region and the default DRS quotas', () => {
    expect(readTaskEnv(base)).toEqual({
      executionsTableName: 'executions',
      region: 'eu-west-1',
      drsLimits: { maxServersPerJob: 100, maxConcurrentJobs: 20, maxServersInAllJobs: 500 },
    });
  });

  it('fails naming a missing variable', () => {
    expect(() => readTaskEnv({ AWS_REGION: 'eu-west-1' })).toThrow(
      'environment variable EXECUTIONS_TABLE_NAME is not set',
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
