import { AccessDeniedException, DescribeJobsCommand, DrsClient, ThrottlingException } from '@aws-sdk/client-drs';
import { DrsRejected, DrsUnavailable } from '../../../functions/shared/errors';
import { ACTIVE_JOB_WINDOW_MS, otherRunningJobs } from '../../../functions/shared/other-drs-jobs';
import { drsInputs, mockDrs, whenDrs } from '../../support/drs-mock';

const drs = mockDrs();
const client = new DrsClient({});
const NOW = new Date('2026-01-01T12:00:00Z');

const job = (jobID: string, status: string, servers: number) => ({
  jobID,
  type: 'LAUNCH',
  status,
  participatingServers: Array.from({ length: servers }, (_, i) => ({ sourceServerID: `s-${jobID}${i}` })),
});

describe("otherRunningJobs: DRS's running jobs that are not this execution's", () => {
  beforeEach(() => drs.reset());

  it('counts the PENDING and STARTED jobs and their servers, leaving out COMPLETED jobs and our own', async () => {
    whenDrs(drs, DescribeJobsCommand).resolves({
      items: [job('a', 'PENDING', 3), job('b', 'STARTED', 100), job('c', 'COMPLETED', 50), job('mine', 'STARTED', 7)],
    });

    await expect(otherRunningJobs(client, { now: NOW, ownJobIds: ['mine'] })).resolves.toEqual({
      jobs: 2,
      servers: 103,
    });
    expect(drsInputs(drs, DescribeJobsCommand)).toEqual([
      { filters: { fromDate: new Date(NOW.getTime() - ACTIVE_JOB_WINDOW_MS).toISOString() } },
    ]);
  });

  it('reads every page, counting a job listed on two pages once', async () => {
    whenDrs(drs, DescribeJobsCommand, { nextToken: undefined }).resolves({
      items: [job('a', 'STARTED', 10)],
      nextToken: 'p2',
    });
    whenDrs(drs, DescribeJobsCommand, { nextToken: 'p2' }).resolves({
      items: [job('a', 'STARTED', 10), job('b', 'PENDING', 5)],
    });

    await expect(otherRunningJobs(client, { now: NOW, ownJobIds: [] })).resolves.toEqual({ jobs: 2, servers: 15 });
  });

  it('never reads an error as no other jobs: throttling is DrsUnavailable (retried), a denial DrsRejected', async () => {
    whenDrs(drs, DescribeJobsCommand).rejects(
      new ThrottlingException({ message: 'slow down', $metadata: { httpStatusCode: 429 } }),
    );
    await expect(otherRunningJobs(client, { now: NOW, ownJobIds: [] })).rejects.toThrow(DrsUnavailable);

    drs.reset();
    whenDrs(drs, DescribeJobsCommand).rejects(
      new AccessDeniedException({ message: 'no', $metadata: { httpStatusCode: 403 } }),
    );
    await expect(otherRunningJobs(client, { now: NOW, ownJobIds: [] })).rejects.toThrow(DrsRejected);
  });
});
