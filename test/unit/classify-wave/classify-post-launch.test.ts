import { type ClassifyInput, classify } from '../../../functions/classify-wave/classify';
import type { ActionRun, JobServer } from '../../../functions/shared/types';

/**
 * A RECOVERY's required post-launch actions: a server is done only when each required action has a
 * SUCCEEDED run of its own. Which runs count as an action's, and what the records keep of them (the
 * completion audit reads `succeededActions` again), decide whether a wave may be COMPLETED.
 */
const A = 's-aaaaaaaaaaaaaaaaa';
const NOW = new Date('2026-01-01T00:10:00Z');
const DEADLINE = new Date('2026-01-01T01:00:00Z');
const HEALTH = { actionId: '0b1f5e1c-7d2a-4c3e-9f10-2a3b4c5d6e7f', name: 'Validate application health' };
const AGENT = { actionId: '5c4d3e2f-1a0b-4c9d-8e7f-6a5b4c3d2e1f', name: 'Install agent' };
const OTHER = { actionId: '9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b', name: 'Warm cache' };

const ran = (
  action: { actionId: string; name: string },
  status: string,
  extra: Partial<ActionRun> = {},
): ActionRun => ({
  status,
  optional: false,
  actionId: action.actionId,
  actionName: action.name,
  ...extra,
});
const launched = (runs?: ActionRun[]): JobServer => ({
  sourceServerID: A,
  launchStatus: 'LAUNCHED',
  recoveryInstanceID: 'i-aaaaaaaaaaaaaaaaa',
  ...(runs ? { launchActionsStatus: { runs } } : {}),
});
const verdict = (
  required: ClassifyInput['requiredActions'][string],
  server: JobServer,
  over: Partial<ClassifyInput> = {},
) =>
  classify({
    requestedServerIDs: [A],
    executionType: 'RECOVERY',
    requiredActions: { [A]: required },
    job: { jobID: 'drsjob-1', status: 'COMPLETED', participatingServers: [server] },
    deadline: DEADLINE,
    now: NOW,
    ...over,
  });

describe('classify: a RECOVERY’s required post-launch actions', () => {
  it('never counts another action’s SUCCEEDED run for a required action', () => {
    const v = verdict([HEALTH, AGENT], launched([ran(HEALTH, 'SUCCEEDED'), ran(OTHER, 'SUCCEEDED')]));
    expect(v.status).toBe('LAUNCHING');
    expect(v.reason).toBe(`0 of 1 servers done`);
  });

  it('is never COMPLETED while a required action’s only run FAILED, even when the other actions SUCCEEDED', () => {
    const v = verdict([HEALTH, AGENT], launched([ran(HEALTH, 'SUCCEEDED'), ran(AGENT, 'FAILED')]));
    expect(v).toMatchObject({ status: 'FAILED', failedServers: [A] });
    expect(v.reason).toBe(`${A} LAUNCHED but required post-launch action 'Install agent' (${AGENT.actionId}) FAILED`);
  });

  it('counts a required action done when a later run SUCCEEDED after one FAILED', () => {
    const v = verdict([HEALTH], launched([ran(HEALTH, 'FAILED'), ran(HEALTH, 'SUCCEEDED')]));
    expect(v.status).toBe('COMPLETED');
    expect(v.servers[0]?.succeededActions).toEqual([HEALTH.actionId]);
  });

  it('names a required action that is running by its run’s status, not as not started', () => {
    const v = verdict([HEALTH], launched([ran(HEALTH, 'IN_PROGRESS')]), { now: DEADLINE });
    expect(v.status).toBe('TIMED_OUT');
    expect(v.reason).toContain(
      `${A} LAUNCHED, post-launch action 'Validate application health' (${HEALTH.actionId}) is IN_PROGRESS`,
    );
  });

  it('fails the server for a non-optional run of an action not in its required list that FAILED', () => {
    const v = verdict(
      [HEALTH],
      launched([ran(HEALTH, 'SUCCEEDED'), ran(OTHER, 'FAILED', { failureReason: 'exit 3' })]),
    );
    expect(v).toMatchObject({ status: 'FAILED', failedServers: [A] });
    expect(v.reason).toBe(`${A} LAUNCHED but required post-launch action 'Warm cache' (exit 3) FAILED`);
  });

  it('waits for a non-optional run of an action not in its required list while it runs, naming it', () => {
    const v = verdict([], launched([ran(OTHER, 'IN_PROGRESS')]), { now: DEADLINE });
    expect(v.status).toBe('TIMED_OUT');
    expect(v.reason).toContain(`${A} LAUNCHED, post-launch action 'Warm cache' is IN_PROGRESS`);
  });

  it('names an action without a name as unnamed', () => {
    const v = verdict([{ actionId: HEALTH.actionId }], launched([]), { now: DEADLINE });
    expect(v.reason).toContain(`post-launch action 'unnamed' (${HEALTH.actionId}) has not started`);
  });

  it('is done at LAUNCHED with no required action and no run reported at all', () => {
    expect(verdict([], launched()).status).toBe('COMPLETED');
  });
});

describe('classify: the succeeded actions kept in the records', () => {
  it('records only the required actions that have a SUCCEEDED run of their own', () => {
    const v = verdict(
      [HEALTH, AGENT],
      launched([ran(HEALTH, 'FAILED'), ran(AGENT, 'SUCCEEDED'), ran(OTHER, 'SUCCEEDED')]),
    );
    expect(v.status).toBe('FAILED');
    expect(v.servers[0]?.succeededActions).toEqual([AGENT.actionId]);
  });

  it('records none for a DRILL, whose verdict does not read the actions', () => {
    const v = verdict([HEALTH], launched([ran(HEALTH, 'SUCCEEDED')]), { executionType: 'DRILL' });
    expect(v.status).toBe('COMPLETED');
    expect(v.servers[0]).toEqual({
      sourceServerID: A,
      launchStatus: 'LAUNCHED',
      recoveryInstanceID: 'i-aaaaaaaaaaaaaaaaa',
    });
  });
});
