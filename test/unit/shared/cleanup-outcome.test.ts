import { cleanupOutcome, type OutcomeInput } from '../../../functions/shared/cleanup-outcome';

const NOW = new Date('2026-01-01T01:00:00Z');
const LATER = new Date('2026-01-01T01:30:00Z');
const job = (status: string, servers: [string, string][]) => ({
  jobID: 'drsjob-ttttttttttttttttt',
  status,
  participatingServers: servers.map(([recoveryInstanceID, launchStatus]) => ({ recoveryInstanceID, launchStatus })),
});
const outcome = (input: Partial<OutcomeInput>) =>
  cleanupOutcome({ selected: [], pending: [], jobs: [], instances: [], now: NOW, deadline: LATER, ...input });

describe('cleanupOutcome', () => {
  it('counts an instance terminated when DRS shows it TERMINATED or NOT_FOUND, or lists it no more', () => {
    const out = outcome({
      selected: ['i-1', 'i-2', 'i-3'],
      jobs: [
        job('COMPLETED', [
          ['i-1', 'TERMINATED'],
          ['i-2', 'TERMINATED'],
          ['i-3', 'TERMINATED'],
        ]),
      ],
      instances: [
        { recoveryInstanceID: 'i-1', ec2InstanceState: 'TERMINATED' },
        { recoveryInstanceID: 'i-2', ec2InstanceState: 'NOT_FOUND' },
      ],
    });
    expect(out).toEqual({ terminated: ['i-1', 'i-2', 'i-3'], failed: [], waiting: [] });
  });

  it('waits while the TERMINATE job runs or the instance shuts down, never calling it failed early', () => {
    const out = outcome({
      selected: ['i-1', 'i-2'],
      jobs: [job('STARTED', [['i-1', 'PENDING']]), job('COMPLETED', [['i-2', 'TERMINATED']])],
      instances: [
        { recoveryInstanceID: 'i-1', ec2InstanceState: 'RUNNING' },
        { recoveryInstanceID: 'i-2', ec2InstanceState: 'SHUTTING-DOWN' },
      ],
    });
    expect(out).toEqual({ terminated: [], failed: [], waiting: ['i-1', 'i-2'] });
  });

  it('reads the job’s COMPLETED as finished, not as success: a still-running instance failed, with the job’s status', () => {
    const out = outcome({
      selected: ['i-1'],
      jobs: [job('COMPLETED', [['i-1', 'FAILED']])],
      instances: [{ recoveryInstanceID: 'i-1', ec2InstanceState: 'RUNNING' }],
    });
    expect(out.failed).toEqual([
      {
        recoveryInstanceID: 'i-1',
        reason: 'TERMINATE job drsjob-ttttttttttttttttt completed with FAILED for it; the instance is still RUNNING',
      },
    ]);
  });

  it('fails what is still waiting at the deadline, saying why', () => {
    const out = outcome({
      selected: ['i-1', 'i-2'],
      pending: ['i-2'],
      pendingReason: 'the DRS quota of concurrent jobs was full',
      jobs: [job('STARTED', [['i-1', 'PENDING']])],
      instances: [
        { recoveryInstanceID: 'i-1', ec2InstanceState: 'RUNNING' },
        { recoveryInstanceID: 'i-2', ec2InstanceState: 'RUNNING' },
      ],
      now: LATER,
    });
    expect(out.waiting).toEqual([]);
    expect(out.failed.map((f) => f.reason)).toEqual([
      'TERMINATE job drsjob-ttttttttttttttttt had not completed by 2026-01-01T01:30:00.000Z (its status for the instance: PENDING); the instance is RUNNING',
      'no TERMINATE job could be started for it by 2026-01-01T01:30:00.000Z: the DRS quota of concurrent jobs was full; the instance is RUNNING',
    ]);
  });

  it('waits for a pending instance (held back by a quota) before the deadline', () => {
    const out = outcome({
      selected: ['i-1'],
      pending: ['i-1'],
      instances: [{ recoveryInstanceID: 'i-1', ec2InstanceState: 'RUNNING' }],
    });
    expect(out.waiting).toEqual(['i-1']);
  });
});
