import { cleanupOutcome, type OutcomeInput } from '../../../functions/shared/cleanup-outcome';

// Which TERMINATE jobs count as an instance's, and when an instance still counts as being terminated:
// the rules that decide whether a drill cleanup reports an instance failed, waits for it, or calls it gone.
const NOW = new Date('2026-01-01T01:00:00Z');
const DEADLINE = new Date('2026-01-01T01:30:00Z');
const job = (jobID: string, status: string, servers: [string, string][]) => ({
  jobID,
  status,
  participatingServers: servers.map(([recoveryInstanceID, launchStatus]) => ({ recoveryInstanceID, launchStatus })),
});
const running = (...ids: string[]) =>
  ids.map((recoveryInstanceID) => ({ recoveryInstanceID, ec2InstanceState: 'RUNNING' }));
const outcome = (input: Partial<OutcomeInput>) =>
  cleanupOutcome({ selected: [], pending: [], jobs: [], instances: [], now: NOW, deadline: DEADLINE, ...input });

describe('cleanupOutcome: which TERMINATE jobs are an instance’s', () => {
  it('fails an instance whose own job ended, even while another instance’s job still runs', () => {
    const out = outcome({
      selected: ['i-1', 'i-2'],
      jobs: [job('drsjob-1', 'COMPLETED', [['i-1', 'FAILED']]), job('drsjob-2', 'STARTED', [['i-2', 'PENDING']])],
      instances: running('i-1', 'i-2'),
    });
    expect(out.waiting).toEqual(['i-2']);
    expect(out.failed).toEqual([
      {
        recoveryInstanceID: 'i-1',
        reason: 'TERMINATE job drsjob-1 completed with FAILED for it; the instance is still RUNNING',
      },
    ]);
  });

  it('waits while any of an instance’s jobs still runs, even when an earlier one COMPLETED', () => {
    const out = outcome({
      selected: ['i-1'],
      jobs: [job('drsjob-1', 'COMPLETED', [['i-1', 'FAILED']]), job('drsjob-2', 'STARTED', [['i-1', 'PENDING']])],
      instances: running('i-1'),
    });
    expect(out).toEqual({ terminated: [], failed: [], waiting: ['i-1'] });
  });

  it('gives the reason from the instance’s latest job, with that job’s status for it', () => {
    const out = outcome({
      selected: ['i-1'],
      jobs: [
        job('drsjob-1', 'COMPLETED', [['i-1', 'FAILED']]),
        job('drsjob-x', 'COMPLETED', [['i-9', 'TERMINATED']]),
        job('drsjob-2', 'COMPLETED', [['i-1', 'TERMINATED']]),
      ],
      instances: running('i-1'),
    });
    expect(out.failed.map((f) => f.reason)).toEqual([
      'TERMINATE job drsjob-2 completed with TERMINATED for it; the instance is still RUNNING',
    ]);
  });

  it('says the job’s status for the instance is unknown when the job does not give one', () => {
    const out = outcome({
      selected: ['i-1'],
      jobs: [{ jobID: 'drsjob-1', status: 'COMPLETED', participatingServers: [{ recoveryInstanceID: 'i-1' }] }],
      instances: running('i-1'),
    });
    expect(out.failed.map((f) => f.reason)).toEqual([
      'TERMINATE job drsjob-1 completed with unknown for it; the instance is still RUNNING',
    ]);
  });
});

describe('cleanupOutcome: whether an instance still runs', () => {
  it('waits for a running instance no job has yet, before the deadline, and fails it at the deadline saying so', () => {
    const input = { selected: ['i-1'], instances: running('i-1') };
    expect(outcome(input)).toEqual({ terminated: [], failed: [], waiting: ['i-1'] });
    expect(outcome({ ...input, now: DEADLINE }).failed).toEqual([
      { recoveryInstanceID: 'i-1', reason: 'no TERMINATE job of this cleanup has it; the instance is RUNNING' },
    ]);
  });

  it('never counts an instance terminated while DRS lists it without an EC2 state', () => {
    const out = outcome({
      selected: ['i-1'],
      jobs: [job('drsjob-1', 'COMPLETED', [['i-1', 'TERMINATED']])],
      instances: [{ recoveryInstanceID: 'i-1' }],
    });
    expect(out.terminated).toEqual([]);
    expect(out.failed.map((f) => f.reason)).toEqual([
      'TERMINATE job drsjob-1 completed with TERMINATED for it; the instance is still UNKNOWN',
    ]);
  });

  it('stops waiting exactly at the deadline', () => {
    const out = outcome({
      selected: ['i-1'],
      jobs: [job('drsjob-1', 'STARTED', [['i-1', 'PENDING']])],
      instances: running('i-1'),
      now: DEADLINE,
    });
    expect(out.waiting).toEqual([]);
    expect(out.failed.map((f) => f.recoveryInstanceID)).toEqual(['i-1']);
  });

  it('reports a pending instance’s reason without a quota message when none is known', () => {
    const out = outcome({ selected: ['i-1'], pending: ['i-1'], instances: running('i-1'), now: DEADLINE });
    expect(out.failed.map((f) => f.reason)).toEqual([
      'no TERMINATE job could be started for it by 2026-01-01T01:30:00.000Z; the instance is RUNNING',
    ]);
  });

  it('reports each selected instance once, even when selected twice', () => {
    const out = outcome({ selected: ['i-1', 'i-1'], instances: [] });
    expect(out).toEqual({ terminated: ['i-1'], failed: [], waiting: [] });
  });
});
