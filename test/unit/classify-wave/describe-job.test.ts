import { toSnapshot } from '../../../functions/classify-wave/describe-job';
import { A, B, JOB } from '../../fixtures/task-records';

describe('reading the DRS job', () => {
  it('keeps only what the classifier needs of a job', () => {
    expect(
      toSnapshot({
        jobID: JOB,
        status: 'STARTED',
        arn: 'arn:aws:drs:us-east-1:111122223333:job/x',
        participatingServers: [
          {
            sourceServerID: A,
            launchStatus: 'LAUNCHED',
            recoveryInstanceID: 'i-0123456789abcdef0',
            launchActionsStatus: {
              runs: [{ status: 'FAILED', action: { name: 'Smoke test', optional: true }, failureReason: 'timeout' }],
            },
          },
          { sourceServerID: B, launchStatus: 'IN_PROGRESS' },
        ],
      }),
    ).toEqual({
      jobID: JOB,
      status: 'STARTED',
      participatingServers: [
        {
          sourceServerID: A,
          launchStatus: 'LAUNCHED',
          recoveryInstanceID: 'i-0123456789abcdef0',
          launchActionsStatus: {
            runs: [{ status: 'FAILED', optional: true, actionName: 'Smoke test', failureReason: 'timeout' }],
          },
        },
        { sourceServerID: B, launchStatus: 'IN_PROGRESS' },
      ],
    });
  });
});
