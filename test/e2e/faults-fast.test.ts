import { FAULTS, PLANS, runCell } from '../faults/fault-matrix';

/**
 * A fast subset of the fault matrix on every `npm test` (the whole matrix: `npm run test:faults`):
 * the faults most likely to launch twice, lie, or leave a plan locked.
 */
const SUBSET: [fault: string, plan: string][] = [
  ['StartRecovery response lost (dropped)', 'three-waves-one-fails'],
  ['StartRecovery throttled x2', 'one-wave'],
  ['StartRecovery never answers, its job listed after 20 s', 'three-waves-one-fails'],
  ['crash after StartRecovery, before recording the job', 'three-waves'],
  ['crash after DescribeJobs, before recording the verdict', 'one-wave-one-fails'],
  ['crash before recording the end', 'one-wave'],
  ['function timeout after StartRecovery x2 (Sandbox.Timedout)', 'three-waves'],
  ['concurrent second start', 'three-waves'],
  ['concurrent start of another plan sharing a server', 'three-waves-one-fails'],
  ['stop in mid-wave', 'three-waves'],
  ['RECOVERY: ListLaunchActions response lost x2', 'three-waves-one-fails'],
  ['DescribeJobs outage for 900 s from 60 s', 'three-waves-one-fails'],
  ['crash before opening the approval gate', 'three-waves-gated'],
  ['Lambda throttles Await approval x3', 'three-waves-gated'],
  ['stop in mid-wave', 'three-waves-gated'],
  ['concurrent second start', 'three-waves-gated'],
  ['wave actions: crash before recording an action started or ended x2', 'three-waves-one-fails'],
  ['wave actions: crash after recording the first action started', 'three-waves'],
  // Parallel branches (issue 12): a lost StartRecovery answer and a lost verdict while another branch runs, a
  // stop while two waves launch, and two starts racing for one job's room.
  ['StartRecovery response lost (dropped)', 'branches'],
  ['crash after DescribeJobs, before recording the verdict', 'branches-one-fails'],
  ['stop in mid-wave', 'branches-one-fails-stop'],
  ['concurrent second start', 'branches-queued'],
  ['Lambda throttles Start wave recovery x7 (about 90 s)', 'branches-queued'],
];

describe('faults (fast subset)', () => {
  it.each(SUBSET)('%s on %s keeps every invariant', async (faultName, planName) => {
    const fault = FAULTS.find((f) => f.name === faultName);
    const plan = PLANS.find((p) => p.name === planName);
    if (!fault || !plan) throw new Error(`no such cell: ${faultName} × ${planName}`);

    const cell = await runCell(fault, plan);

    expect(cell.violations).toEqual([]);
    expect(cell.outcome).toBe(cell.expected);
    expect(cell.jobsCreated).toBe(cell.wavesStarted);
  });
});
