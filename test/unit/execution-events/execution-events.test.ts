import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { handleExecutionEvent, snsNotifier } from '../../../functions/execution-events/execution-events';
import type { ExecutionStatusChange } from '../../../functions/execution-events/status-change';
import type { CleanupWorkflowInput, CleanupWorkflows } from '../../../functions/shared/cleanup-schedule';
import type { ExecutionStore } from '../../../functions/shared/execution-store';
import { metrics } from '../../../functions/shared/observability';
import { SimulatedClock } from '../../../local/simulated-clock';
import { LocalStepFunctions } from '../../../local/step-functions';
import { serverId, startStore, threeWavePlan } from '../../support/store';

const sns = mockClient(SNSClient);
const TOPIC = 'arn:aws:sns:us-east-1:111122223333:drs-orchestrator-notifications';
const STATE_MACHINE = 'arn:aws:states:us-east-1:111122223333:stateMachine:drs-orchestrator';
const ARN = (name: string) => `arn:aws:states:us-east-1:111122223333:execution:drs-orchestrator:${name}`;
const T0 = new Date('2026-01-01T00:00:00Z');
const STOP = new Date('2026-01-01T00:05:00Z');
const input = JSON.stringify({ plan: threeWavePlan(), executionType: 'DRILL' });
/** Step Functions as these tests have it: what each execution really did. */
const stepFunctions = new LocalStepFunctions(STATE_MACHINE);

/** An event as EventBridge would deliver it, claiming nothing Step Functions does not know. */
const forged = (
  name: string,
  status: string,
  extra: Partial<ExecutionStatusChange['detail']> = {},
): ExecutionStatusChange => ({
  'detail-type': 'Step Functions Execution Status Change',
  detail: {
    executionArn: ARN(name),
    stateMachineArn: STATE_MACHINE,
    name,
    status,
    input,
    startDate: T0.getTime(),
    stopDate: STOP.getTime(),
    ...extra,
  },
});

/** A true event: Step Functions' own record of the execution says the same. */
const event = (
  name: string,
  status: string,
  extra: Partial<ExecutionStatusChange['detail']> = {},
): ExecutionStatusChange => {
  stepFunctions.started(name, JSON.parse(input), T0);
  if (status !== 'RUNNING') {
    stepFunctions.ended(
      name,
      {
        status: status as 'FAILED',
        ...(extra.error ? { error: extra.error } : {}),
        ...(extra.cause ? { cause: extra.cause } : {}),
      },
      STOP,
    );
  }
  return forged(name, status, extra);
};

/** The cleanup workflow's starts, kept (execution-events schedules every ended drill's cleanup). */
const cleanupStarts: { name: string; input: CleanupWorkflowInput }[] = [];
const cleanupRuns: CleanupWorkflows = {
  start: async (name, input) => {
    cleanupStarts.push({ name, input });
    return `arn:aws:states:us-east-1:111122223333:execution:drs-orchestrator-cleanup:${name}`;
  },
  stop: async () => {},
};

describe('execution-events', () => {
  let local: Awaited<ReturnType<typeof startStore>>;
  let store: ExecutionStore;
  let handle: ReturnType<typeof handleExecutionEvent>;

  beforeAll(async () => {
    local = await startStore();
    store = local.store;
    handle = handleExecutionEvent({
      store,
      sfn: stepFunctions,
      stateMachineArn: STATE_MACHINE,
      notify: snsNotifier(new SNSClient({}), TOPIC),
      clock: new SimulatedClock(STOP),
      cleanupWorkflows: cleanupRuns,
    });
  });
  afterAll(async () => local.stop());
  beforeEach(() => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    jest.restoreAllMocks();
  });

  const published = () => sns.commandCalls(PublishCommand).map((call) => call.args[0].input);

  it('announces a started execution with its plan, type and a link to the graph', async () => {
    await handle(event('started-1', 'RUNNING'));
    expect(published()).toEqual([
      expect.objectContaining({
        TopicArn: TOPIC,
        Subject: '[drs-orchestrator] DRILL of three-tier started',
        Message: expect.stringContaining(
          '#/v2/executions/details/arn:aws:states:us-east-1:111122223333:execution:drs-orchestrator:started-1',
        ),
        MessageAttributes: expect.objectContaining({ status: { DataType: 'String', StringValue: 'RUNNING' } }),
      }),
    ]);
  });

  it('records a console Stop as CANCELLED and ends the launching wave, so nothing shows as running', async () => {
    await store.createExecution({
      executionId: 'stopped-1',
      plan: threeWavePlan(),
      executionType: 'DRILL',
      startedAt: T0,
    });
    await store.claimWave('stopped-1', 0, T0, STOP);
    await store.recordJob('stopped-1', 0, 'drsjob-00000000000000001');
    const addMetric = jest.spyOn(metrics, 'addMetric');

    await expect(handle(event('stopped-1', 'ABORTED'))).resolves.toEqual({ status: 'CANCELLED' });

    const loaded = await store.loadExecution('stopped-1');
    expect(loaded?.execution).toMatchObject({
      status: 'CANCELLED',
      error: 'ExecutionAborted',
      endedAt: STOP.toISOString(),
    });
    expect(loaded?.execution.cause).toContain('a DRS job already started keeps running');
    // The wave's claim ended with it: the execution item shows no wave launching after the end.
    expect(loaded?.execution.waves?.['0']).toMatchObject({ status: 'FAILED', jobId: 'drsjob-00000000000000001' });
    expect(loaded?.execution.runningWaves).toBe(0);
    expect(loaded?.waves[0]?.status).toBe('FAILED');
    expect(addMetric).toHaveBeenCalledWith('ExecutionCancelled', 'Count', 1);
    expect(published()[0]).toMatchObject({
      Subject: '[drs-orchestrator] DRILL of three-tier CANCELLED',
      Message: expect.stringContaining('Wave 1 Databases: FAILED (DRS job drsjob-00000000000000001)'),
    });
  });

  it('records a workflow timeout as TIMED_OUT', async () => {
    await store.createExecution({
      executionId: 'timeout-1',
      plan: threeWavePlan(),
      executionType: 'DRILL',
      startedAt: T0,
    });
    await handle(event('timeout-1', 'TIMED_OUT'));
    expect((await store.getExecution('timeout-1'))?.status).toBe('TIMED_OUT');
  });

  it('keeps the failure the workflow recorded itself, and tells subscribers its cause and failed servers', async () => {
    await store.createExecution({
      executionId: 'failed-1',
      plan: threeWavePlan(),
      executionType: 'DRILL',
      startedAt: T0,
    });
    await store.claimWave('failed-1', 0, T0, STOP);
    await store.endWave(
      'failed-1',
      0,
      { status: 'FAILED', failedServers: ['s-00000000000000001'], reason: 'FAILED' },
      STOP,
    );
    await store.failExecution({
      executionId: 'failed-1',
      status: 'FAILED',
      error: 'WaveFailed',
      cause: 'Wave 1 FAILED: s-1',
      endedAt: STOP,
    });

    await handle(event('failed-1', 'FAILED', { error: 'WaveFailed', cause: 'Wave 1 FAILED: s-1' }));

    expect(await store.getExecution('failed-1')).toMatchObject({
      status: 'FAILED',
      error: 'WaveFailed',
      cause: 'Wave 1 FAILED: s-1',
    });
    expect(published()[0]?.Message).toContain('failed servers: s-00000000000000001');
    expect(published()[0]?.Message).toContain('Cause: Wave 1 FAILED: s-1');
  });

  it('records a failure the workflow could not record, with the readable cause', async () => {
    await store.createExecution({
      executionId: 'failed-2',
      plan: threeWavePlan(),
      executionType: 'DRILL',
      startedAt: T0,
    });
    const cause = JSON.stringify({ errorType: 'Error', errorMessage: 'DynamoDB was unreachable' });
    await handle(event('failed-2', 'FAILED', { error: 'Error', cause }));
    expect(await store.getExecution('failed-2')).toMatchObject({
      status: 'FAILED',
      error: 'Error',
      cause: 'DynamoDB was unreachable',
    });
  });

  it('records a wave timeout the workflow could not record as TIMED_OUT, not FAILED', async () => {
    await store.createExecution({
      executionId: 'timeout-2',
      plan: threeWavePlan(),
      executionType: 'DRILL',
      startedAt: T0,
    });
    await handle(
      event('timeout-2', 'FAILED', { error: 'WaveTimedOut', cause: "Wave 1 'Databases' TIMED_OUT after 60 minutes" }),
    );
    expect(await store.getExecution('timeout-2')).toMatchObject({ status: 'TIMED_OUT', error: 'WaveTimedOut' });
  });

  it('reports a success from the records, and counts it', async () => {
    await store.createExecution({
      executionId: 'done-1',
      plan: { ...threeWavePlan(), waves: threeWavePlan().waves.slice(0, 1) },
      executionType: 'DRILL',
      startedAt: T0,
    });
    await store.claimWave('done-1', 0, T0, STOP);
    const servers =
      threeWavePlan().waves[0]?.sourceServerIDs.map((sourceServerID) => ({
        sourceServerID,
        launchStatus: 'LAUNCHED',
      })) ?? [];
    await store.completeWave('done-1', 0, servers, STOP);
    await store.completeExecution('done-1', STOP);
    const addMetric = jest.spyOn(metrics, 'addMetric');

    await expect(handle(event('done-1', 'SUCCEEDED'))).resolves.toEqual({ status: 'COMPLETED' });
    expect(addMetric).toHaveBeenCalledWith('ExecutionCompleted', 'Count', 1);
    expect(published()[0]?.Subject).toBe('[drs-orchestrator] DRILL of three-tier COMPLETED');
  });

  describe('forged or stale events', () => {
    let servers = 900;
    /** A running execution as its first task leaves it: its plan's lock, its record, its own server's lock. */
    const liveExecution = async (executionId: string) => {
      const server = serverId(++servers);
      const plan = {
        planId: `plan-${executionId}`,
        name: executionId,
        pollIntervalSeconds: 30,
        waves: [{ name: 'Only', sourceServerIDs: [server], timeoutMinutes: 60 }],
      };
      await store.acquirePlanLock({ planId: plan.planId, executionId, now: T0, expiresAt: STOP });
      await store.createExecution({ executionId, plan, executionType: 'DRILL', startedAt: T0 });
      await store.claimServers({ executionId, plan, now: T0 });
      stepFunctions.started(executionId, { plan, executionType: 'DRILL' }, T0);
      return server;
    };

    it('writes nothing for a forged ABORTED of a RUNNING execution: its record, plan lock and servers stay', async () => {
      const server = await liveExecution('forged-1');

      await expect(handle(forged('forged-1', 'ABORTED'))).rejects.toMatchObject({
        name: 'StatusNotConfirmed',
        message: expect.stringContaining('the event says execution forged-1 is ABORTED, Step Functions says RUNNING'),
      });

      expect((await store.getExecution('forged-1'))?.status).toBe('PENDING');
      expect((await store.getPlanLock('plan-forged-1'))?.holder).toBe('forged-1');
      expect((await store.getServerLock(server))?.holder).toBe('forged-1');
      expect(published()).toEqual([]);
    });

    it.each([
      [
        'foreign-1',
        'another state machine',
        { stateMachineArn: 'arn:aws:states:us-east-1:111122223333:stateMachine:other' },
      ],
      ['foreign-2', 'no state machine', { stateMachineArn: null }],
      [
        'foreign-3',
        'an execution ARN of another name',
        { executionArn: 'arn:aws:states:us-east-1:111122223333:execution:drs-orchestrator:someone-else' },
      ],
    ])('%s: refuses an event of %s with ForeignEvent, writing nothing', async (executionId, _, extra) => {
      await liveExecution(executionId);

      await expect(handle(forged(executionId, 'ABORTED', extra))).rejects.toMatchObject({ name: 'ForeignEvent' });
      expect((await store.getExecution(executionId))?.status).toBe('PENDING');
    });

    it('refuses an ending of an execution Step Functions does not know, with ForeignEvent', async () => {
      await expect(handle(forged('never-ran', 'FAILED'))).rejects.toMatchObject({
        name: 'ForeignEvent',
        message: expect.stringContaining(`Step Functions has no execution ${ARN('never-ran')}`),
      });
      expect(await store.getExecution('never-ran')).toBeUndefined();
    });

    it("records Step Functions' own error and cause, not the event's", async () => {
      await liveExecution('facts-1');
      stepFunctions.ended('facts-1', { status: 'FAILED', error: 'States.Runtime', cause: 'the real cause' }, STOP);

      await handle(forged('facts-1', 'FAILED', { error: 'Forged', cause: 'a forged cause' }));

      expect(await store.getExecution('facts-1')).toMatchObject({
        status: 'FAILED',
        error: 'States.Runtime',
        cause: 'the real cause',
      });
    });

    it('ignores a late RUNNING event of an execution that has ended: no notification', async () => {
      await liveExecution('late-1');
      stepFunctions.ended('late-1', { status: 'SUCCEEDED' }, STOP);

      await expect(handle(forged('late-1', 'RUNNING'))).resolves.toEqual({ status: 'STALE' });
      expect(published()).toEqual([]);
    });
  });
});
