import { CleanupRefused } from '../../functions/shared/records/cleanup-records';
import { parseScenario, type ScenarioInput } from '../../local/drs-simulator';
import { type ExecuteOptions, LocalStack } from '../../local/local-stack';

/**
 * The drill cleanup on the local stack: the deployed cleanup workflow with its real task code,
 * dynalite and the DRS simulator. What is terminated is checked against the simulator's own
 * recovery instances, never against what the orchestrator believes.
 */
const id = (tier: string, n: number) => `s-${tier}${String(n).padStart(17 - tier.length, '0')}`;
const DB = [id('db', 1), id('db', 2)];
const APP = [id('app', 1)];
const SERVERS = [...DB, ...APP];
const plan = (extra: Record<string, unknown> = {}) => ({
  planId: 'cleanup-plan',
  name: 'Cleanup plan',
  pollIntervalSeconds: 30,
  ...extra,
  waves: [
    { name: 'Databases', sourceServerIDs: DB, timeoutMinutes: 30 },
    { name: 'App', sourceServerIDs: APP, timeoutMinutes: 30 },
  ],
});
const OTHER_DRILL_JOB = 'drsjob-0ther0drill000001';
const OTHER_RECOVERY_JOB = 'drsjob-0ther0recov000001';
/** Already there, launched by other jobs, for the same source servers: they must survive every cleanup. */
const EXISTING: ScenarioInput['existingRecoveryInstances'] = [
  { sourceServerID: DB[0] as string, isDrill: true, jobID: OTHER_DRILL_JOB },
  { sourceServerID: APP[0] as string, isDrill: false, jobID: OTHER_RECOVERY_JOB },
];

const stacks: LocalStack[] = [];
async function stackWith(scenario: ScenarioInput = {}): Promise<LocalStack> {
  const stack = await LocalStack.start({
    scenario: parseScenario({ existingRecoveryInstances: EXISTING, ...scenario }),
    planServerIDs: SERVERS,
  });
  stacks.push(stack);
  return stack;
}
afterEach(async () => {
  await Promise.all(stacks.splice(0).map((stack) => stack.close()));
});

const execute = (stack: LocalStack, options: Partial<ExecuteOptions> & { type?: 'DRILL' | 'RECOVERY' } = {}) =>
  stack.execute({ input: { plan: plan(), executionType: options.type ?? 'DRILL' }, ...options });

/** The instances the simulator holds, by ID, with their state now. */
const stateOf = (stack: LocalStack) =>
  new Map(stack.simulator.recoveryInstances().map((i) => [i.recoveryInstanceID, i.ec2InstanceState]));
const existingIDs = (stack: LocalStack) =>
  stack.simulator
    .recoveryInstances()
    .filter((i) => i.jobID === OTHER_DRILL_JOB || i.jobID === OTHER_RECOVERY_JOB)
    .map((i) => i.recoveryInstanceID as string);
const launchedBy = (run: { result: { waves: { servers: { recoveryInstanceID?: string }[] }[] } }) =>
  run.result.waves.flatMap((w) => w.servers.map((s) => s.recoveryInstanceID)).filter((i): i is string => !!i);

describe('drill cleanup on the local stack', () => {
  it('leaves a drill SCHEDULED for drillCleanupAfterMinutes after its end, then the schedule terminates only its instances', async () => {
    const stack = await stackWith();
    const run = await execute(stack);

    expect(run.result.status).toBe('COMPLETED');
    const ended = new Date(run.result.endedAt as string).getTime();
    expect(run.result.cleanup).toEqual({
      status: 'SCHEDULED',
      scheduledFor: new Date(ended + 120 * 60_000).toISOString(),
      terminatedInstanceIDs: [],
      failed: [],
    });
    expect(run.result.drs.terminateRecoveryInstancesCalls).toBe(0);

    const [scheduled] = await stack.runScheduledCleanups();
    expect(scheduled?.ending?.status).toBe('SUCCEEDED');
    expect(stack.clock.now().getTime()).toBeGreaterThanOrEqual(ended + 120 * 60_000);
    const after = await stack.result(run.result.executionId);
    const mine = launchedBy(run);
    expect(mine).toHaveLength(3);
    expect(after?.cleanup).toEqual({
      status: 'DONE',
      scheduledFor: run.result.cleanup?.scheduledFor,
      terminatedInstanceIDs: expect.arrayContaining(mine),
      failed: [],
    });
    expect(after?.cleanup?.terminatedInstanceIDs).toHaveLength(3);
    const states = stateOf(stack);
    for (const instance of mine) expect(states.get(instance)).toBe('TERMINATED');
    // The same servers' instances launched by other jobs (a drill's and a recovery's) still run.
    for (const instance of existingIDs(stack)) expect(states.get(instance)).toBe('RUNNING');
    expect(stack.simulator.counts().terminateRecoveryInstancesCalls).toBe(1);
  });

  it('terminates the drill right after it ends with cleanupNow (run --cleanup-now), and the result shows DONE', async () => {
    const stack = await stackWith();
    const run = await execute(stack, { cleanupNow: true });

    expect(run.result.cleanup?.status).toBe('DONE');
    expect([...(run.result.cleanup?.terminatedInstanceIDs ?? [])].sort()).toEqual([...launchedBy(run)].sort());
    expect(run.result.drs.terminateRecoveryInstancesCalls).toBe(1);
    const terminate = run.jobs.filter((job) => job.type === 'TERMINATE');
    expect(terminate).toHaveLength(1);
    expect(terminate[0]?.participatingServers?.map((s) => s.recoveryInstanceID).sort()).toEqual(
      [...launchedBy(run)].sort(),
    );
    for (const instance of existingIDs(stack)) expect(stateOf(stack).get(instance)).toBe('RUNNING');
  });

  it('refuses to clean up a RECOVERY, terminates nothing and schedules nothing', async () => {
    const stack = await stackWith();
    const run = await execute(stack, { type: 'RECOVERY' });

    expect(run.result.status).toBe('COMPLETED');
    expect(run.result.cleanup).toEqual({
      status: 'NOT_APPLICABLE',
      scheduledFor: null,
      terminatedInstanceIDs: [],
      failed: [],
    });
    await expect(stack.cleanup(run.result.executionId)).rejects.toThrow(CleanupRefused);
    await expect(stack.cleanup(run.result.executionId)).rejects.toMatchObject({ reason: 'NOT_A_DRILL' });
    expect(stack.cleanupWorkflows.runs.size).toBe(0);
    expect(stack.simulator.counts().terminateRecoveryInstancesCalls).toBe(0);
    for (const instance of launchedBy(run)) expect(stateOf(stack).get(instance)).toBe('RUNNING');
  });

  it('does nothing on a second cleanup and says so: no second TerminateRecoveryInstances', async () => {
    const stack = await stackWith();
    const run = await execute(stack, { cleanupNow: true });
    const again = await stack.cleanup(run.result.executionId);

    expect(again.started).toBe(false);
    expect(again.message).toMatch(/nothing to do: the cleanup is already DONE \(3 instance\(s\) terminated/);
    expect(again.runs).toEqual([]);
    expect(again.cleanup.status).toBe('DONE');
    expect(stack.simulator.counts().terminateRecoveryInstancesCalls).toBe(1);
  });

  it('cancels the schedule with a cleanup on demand: the scheduled run, if it still runs, does nothing', async () => {
    const stack = await stackWith();
    const run = await execute(stack);
    const [scheduledRun] = [...stack.cleanupWorkflows.runs.values()];
    const onDemand = await stack.cleanup(run.result.executionId);

    expect(onDemand.started).toBe(true);
    expect(scheduledRun?.state).toBe('STOPPED');
    expect((await stack.result(run.result.executionId))?.cleanup?.status).toBe('DONE');

    // A stop that came too late: the run wakes up anyway, finds the cleanup taken, and terminates nothing.
    const [late] = await stack.runScheduledCleanups({ evenIfStopped: true });
    expect(late?.ending?.status).toBe('SUCCEEDED');
    expect(late?.ending?.output).toMatchObject({ status: 'NOTHING_TO_DO' });
    expect(late?.taskCalls).toEqual({ "Claim the cleanup and terminate the drill's instances": 1 });
    expect(stack.simulator.counts().terminateRecoveryInstancesCalls).toBe(1);
  });

  it('keeps a plan with drillCleanupAfterMinutes 0 until a cleanup on demand', async () => {
    const stack = await stackWith();
    const run = await stack.execute({ input: { plan: plan({ drillCleanupAfterMinutes: 0 }), executionType: 'DRILL' } });

    expect(run.result.cleanup).toMatchObject({ status: 'SCHEDULED', scheduledFor: null });
    expect(stack.cleanupWorkflows.runs.size).toBe(0);
    const onDemand = await stack.cleanup(run.result.executionId);
    expect(onDemand.started).toBe(true);
    expect((await stack.result(run.result.executionId))?.cleanup?.status).toBe('DONE');
  });

  it('records a partial failure per instance: FAILED, the failed instance named with the TERMINATE job’s status', async () => {
    const stack = await stackWith({ terminations: { [DB[1] as string]: { result: 'FAILED' } } });
    const run = await execute(stack, { cleanupNow: true });
    const failedInstance = run.result.waves[0]?.servers.find((s) => s.sourceServerID === DB[1])?.recoveryInstanceID;

    expect(run.result.cleanup?.status).toBe('FAILED');
    expect(run.result.cleanup?.failed).toEqual([
      {
        recoveryInstanceID: failedInstance,
        reason: expect.stringMatching(
          /TERMINATE job drsjob-\w+ completed with FAILED for it; the instance is still RUNNING/,
        ),
      },
    ]);
    expect(run.result.cleanup?.terminatedInstanceIDs).toHaveLength(2);
    expect(run.result.cleanup?.terminatedInstanceIDs).not.toContain(failedInstance);
    expect(stateOf(stack).get(failedInstance)).toBe('RUNNING');
  });

  it.each([
    [
      'throttled',
      { TerminateRecoveryInstances: { throttleTimes: 2 }, DescribeRecoveryInstances: { throttleTimes: 5 } },
    ],
    [
      'answered with 5xx',
      { TerminateRecoveryInstances: { internalErrorTimes: 2 }, DescribeJobs: { internalErrorTimes: 5 } },
    ],
  ])('still ends DONE, with exactly the drill’s instances terminated, when DRS is %s', async (_, faults) => {
    const stack = await stackWith({ faults });
    const run = await execute(stack, { cleanupNow: true });

    expect(run.result.cleanup?.status).toBe('DONE');
    expect([...(run.result.cleanup?.terminatedInstanceIDs ?? [])].sort()).toEqual([...launchedBy(run)].sort());
    expect(run.jobs.filter((job) => job.type === 'TERMINATE')).toHaveLength(1);
    for (const instance of existingIDs(stack)) expect(stateOf(stack).get(instance)).toBe('RUNNING');
  });

  it('adopts the TERMINATE job of a request whose answer was lost instead of sending it again', async () => {
    const stack = await stackWith({ faults: { TerminateRecoveryInstances: { loseResponseTimes: 1 } } });
    const run = await execute(stack, { cleanupNow: true });

    expect(run.result.cleanup?.status).toBe('DONE');
    expect(run.result.cleanup?.terminatedInstanceIDs).toHaveLength(3);
    expect(run.result.drs.lostResponses).toBe(1);
    expect(run.result.drs.terminateRecoveryInstancesCalls).toBe(1);
    expect(run.jobs.filter((job) => job.type === 'TERMINATE')).toHaveLength(1);
  });

  it('ends FAILED, naming the DRS refusal for each instance, when DRS refuses the termination', async () => {
    const stack = await stackWith({
      faults: { TerminateRecoveryInstances: { errorTimes: 1, error: 'AccessDeniedException' } },
    });
    const run = await execute(stack, { cleanupNow: true });

    expect(run.result.cleanup?.status).toBe('FAILED');
    expect(run.result.cleanup?.terminatedInstanceIDs).toEqual([]);
    expect(run.result.cleanup?.failed).toHaveLength(3);
    for (const failure of run.result.cleanup?.failed ?? []) {
      expect(failure.reason).toMatch(
        /^DrsRejected: DRS TerminateRecoveryInstances was refused with AccessDeniedException/,
      );
    }
    for (const instance of launchedBy(run)) expect(stateOf(stack).get(instance)).toBe('RUNNING');
  });
});
