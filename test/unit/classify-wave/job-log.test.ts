import { DescribeJobLogItemsCommand, DrsClient } from '@aws-sdk/client-drs';
import { failureReasons } from '../../../functions/classify-wave/job-log';
import { mockDrs, whenDrs } from '../../support/drs-mock';

const JOB = 'drsjob-0123456789abcdef0';
const A = 's-0a1b2c3d4e5f60001';
const B = 's-0a1b2c3d4e5f60002';
const C = 's-0a1b2c3d4e5f60003';

describe('failureReasons', () => {
  const drs = mockDrs();
  const client = new DrsClient({ region: 'us-east-1' });
  afterEach(() => drs.reset());

  it('gives a skipped server the reason of its SERVER_SKIPPED event, named as a skip', async () => {
    whenDrs(drs, DescribeJobLogItemsCommand).resolves({
      items: [
        { event: 'JOB_START' },
        { event: 'SERVER_SKIPPED', eventData: { sourceServerID: A, rawError: 'Source server is disconnected' } },
        { event: 'SERVER_SKIPPED', eventData: { sourceServerID: C } },
      ],
    });

    const reasons = await failureReasons(client, JOB, [A, C]);

    expect(Object.fromEntries(reasons)).toEqual({
      [A]: 'skipped by DRS (SERVER_SKIPPED): Source server is disconnected',
      [C]: 'skipped by DRS (SERVER_SKIPPED)',
    });
  });

  it('takes the latest failure of each server, and nothing from events that are no failure', async () => {
    whenDrs(drs, DescribeJobLogItemsCommand).resolves({
      items: [
        { event: 'SNAPSHOT_FAIL', eventData: { sourceServerID: A, rawError: 'replication is STALLED' } },
        { event: 'USING_PREVIOUS_SNAPSHOT', eventData: { sourceServerID: A } },
        { event: 'LAUNCH_FAILED', eventData: { sourceServerID: A, rawError: 'InsufficientInstanceCapacity' } },
        { event: 'CONVERSION_FAIL', eventData: { sourceServerID: B, rawError: 'conversion server failed' } },
        { event: 'LAUNCH_START', eventData: { sourceServerID: C, rawError: 'not a failure' } },
      ],
    });

    const reasons = await failureReasons(client, JOB, [A, B, C]);

    expect(Object.fromEntries(reasons)).toEqual({
      [A]: 'InsufficientInstanceCapacity',
      [B]: 'conversion server failed',
    });
  });
});
