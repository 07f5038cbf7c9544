import { AccessDeniedException, DescribeJobsCommand, DrsClient, InternalServerException } from '@aws-sdk/client-drs';
import { CLAIM_SKEW_MS, findWaveJob } from '../../../functions/start-wave/find-wave-job';
import { recoveryTags } from '../../../functions/start-wave/tags';
import { drsInputs, mockDrs, whenDrs } from '../../support/drs-mock';

const drs = mockDrs();
const client = new DrsClient({});
const CLAIMED = new Date('2026-01-01T00:10:00Z');
const wave = { executionId: 'exec-1', planId: 'three-tier', waveIndex: 1, claimedAt: CLAIMED };

/** A job as DescribeJobs lists it, tagged as `recoveryTags` tags the jobs it starts. */
const job = (
  jobID: string,
  over: { type?: string; executionId?: string; planId?: string; waveIndex?: number } = {},
) => ({
  jobID,
  type: over.type ?? 'LAUNCH',
  status: 'STARTED',
  tags: recoveryTags({
    executionId: over.executionId ?? wave.executionId,
    planId: over.planId ?? wave.planId,
    waveIndex: over.waveIndex ?? wave.waveIndex,
    waveName: 'App',
  }),
});

describe('findWaveJob', () => {
  beforeEach(() => drs.reset());

  it("adopts the wave's own LAUNCH job, searching from the claim less the allowed clock skew", async () => {
    whenDrs(drs, DescribeJobsCommand).resolves({ items: [job('drsjob-mine')] });
    await expect(findWaveJob(client, wave)).resolves.toBe('drsjob-mine');
    expect(drsInputs(drs, DescribeJobsCommand)).toEqual([
      { filters: { fromDate: new Date(CLAIMED.getTime() - CLAIM_SKEW_MS).toISOString() } },
    ]);
    expect(CLAIM_SKEW_MS).toBe(5 * 60_000);
  });

  it("never adopts another execution's job for the same plan and wave number (a retry must not take over a job it did not start)", async () => {
    whenDrs(drs, DescribeJobsCommand).resolves({ items: [job('drsjob-theirs', { executionId: 'exec-0' })] });
    await expect(findWaveJob(client, wave)).resolves.toBeUndefined();
  });

  it("never adopts another plan's job, nor the job of another wave of the same execution", async () => {
    whenDrs(drs, DescribeJobsCommand).resolves({
      items: [job('drsjob-plan', { planId: 'other-plan' }), job('drsjob-wave', { waveIndex: 0 })],
    });
    await expect(findWaveJob(client, wave)).resolves.toBeUndefined();
  });

  it('never adopts a TERMINATE job (drill cleanup) carrying the same tags, nor a job of another type', async () => {
    whenDrs(drs, DescribeJobsCommand).resolves({
      items: [
        job('drsjob-terminate', { type: 'TERMINATE' }),
        job('drsjob-snapshot', { type: 'CREATE_CONVERTED_SNAPSHOT' }),
      ],
    });
    await expect(findWaveJob(client, wave)).resolves.toBeUndefined();
  });

  it('skips a listed job without an ID or without tags, and finds the wave job on a later page', async () => {
    whenDrs(drs, DescribeJobsCommand).resolves({
      items: [
        { ...job('x'), jobID: undefined },
        { jobID: 'drsjob-untagged', type: 'LAUNCH' },
      ],
      nextToken: 'p2',
    });
    whenDrs(drs, DescribeJobsCommand, { nextToken: 'p2' }).resolves({ items: [job('drsjob-mine')] });
    await expect(findWaveJob(client, wave)).resolves.toBe('drsjob-mine');
    expect(drsInputs(drs, DescribeJobsCommand)).toHaveLength(2);
  });

  it('returns nothing when no job of the wave was created since the claim', async () => {
    whenDrs(drs, DescribeJobsCommand).resolves({});
    await expect(findWaveJob(client, wave)).resolves.toBeUndefined();
  });

  it('fails DrsUnavailable (retried by the workflow) when DescribeJobs fails during adoption, naming the call', async () => {
    whenDrs(drs, DescribeJobsCommand).rejects(
      new InternalServerException({ message: 'try later', $metadata: { httpStatusCode: 500 } }),
    );
    await expect(findWaveJob(client, wave)).rejects.toMatchObject({
      name: 'DrsUnavailable',
      operation: 'DescribeJobs',
      message: expect.stringContaining('DRS DescribeJobs failed with InternalServerException'),
    });
  });

  it('fails DrsRejected when DescribeJobs is refused, rather than reporting that no job exists', async () => {
    whenDrs(drs, DescribeJobsCommand).rejects(
      new AccessDeniedException({ message: 'no', $metadata: { httpStatusCode: 403 } }),
    );
    await expect(findWaveJob(client, wave)).rejects.toMatchObject({ name: 'DrsRejected' });
  });
});
