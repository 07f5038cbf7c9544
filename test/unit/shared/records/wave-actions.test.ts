import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { RecordsInconsistent, WaveNotStartable } from '../../../../functions/shared/errors';
import type { ExecutionStore } from '../../../../functions/shared/execution-store';
import { waveKey } from '../../../../functions/shared/records/keys';
import type { RecordsTable } from '../../../../functions/shared/records/table';
import { WaveActionRecords } from '../../../../functions/shared/records/wave-actions';
import { endUnlaunchedOnExecution } from '../../../../functions/shared/records/wave-claims';
import type { Plan } from '../../../../functions/shared/types';
import { launched, serverId, startStore, threeWavePlan } from '../../../support/store';

const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-01-01T00:10:00Z');
const DEADLINE = new Date('2026-01-01T01:00:00Z');
const ARN = 'arn:aws:lambda:us-east-1:111122223333:function:check';

/** The three-wave plan with a pre- and a post-wave action on its second wave. */
function planWithActions(): Plan {
  const plan = threeWavePlan();
  const app = plan.waves[1] as Plan['waves'][number];
  app.preWaveActions = [{ name: 'Drain', lambdaFunctionArn: ARN, timeoutSeconds: 60 }];
  app.postWaveActions = [{ name: 'Smoke', lambdaFunctionArn: ARN, timeoutSeconds: 60 }];
  return plan;
}

describe('wave action records (through ExecutionStore, on dynalite)', () => {
  let local: Awaited<ReturnType<typeof startStore>>;
  let store: ExecutionStore;
  let n = 0;
  let executionId: string;
  const drain = () => ({ executionId, index: 1, phase: 'PRE' as const, position: 0, name: 'Drain' });
  const smoke = () => ({ executionId, index: 1, phase: 'POST' as const, position: 0, name: 'Smoke' });

  beforeAll(async () => {
    local = await startStore();
    store = local.store;
  });
  afterAll(async () => local.stop());
  beforeEach(async () => {
    executionId = `exec-${++n}`;
    await store.createExecution({ executionId, plan: planWithActions(), executionType: 'DRILL', startedAt: T0 });
  });

  async function completeFirstWave() {
    await store.claimWave(executionId, 0, T0, DEADLINE);
    await store.recordJob(executionId, 0, 'drsjob-00000000000000000');
    await store.completeWave(executionId, 0, launched(serverId(1), serverId(2)), T1);
  }

  it('starts a pre-wave action once: a second attempt finds the first one and does not start it again', async () => {
    await completeFirstWave();

    const first = await store.beginWaveAction(drain(), T1);
    const again = await store.beginWaveAction(drain(), T1);

    expect(first).toEqual({ started: true, run: { name: 'Drain', phase: 'PRE', startedAt: T1.toISOString() } });
    expect(again).toEqual({ started: false, run: { name: 'Drain', phase: 'PRE', startedAt: T1.toISOString() } });
  });

  it('refuses a pre-wave action before every wave it depends on COMPLETED, as the claim does', async () => {
    const begin = store.beginWaveAction(drain(), T1);

    await expect(begin).rejects.toThrow(WaveNotStartable);
    await expect(begin).rejects.toThrow(
      "pre-wave action 'Drain' of wave 2 cannot start: it depends on waves that have not COMPLETED (wave 1 is NOT_STARTED)",
    );
    expect((await store.getWave(executionId, 1)).actionRuns).toBeUndefined();
  });

  it('refuses a pre-wave action once the execution has ended', async () => {
    await completeFirstWave();
    await store.failExecution({
      executionId,
      status: 'CANCELLED',
      error: 'ExecutionAborted',
      cause: 'stopped',
      endedAt: T1,
    });

    await expect(store.beginWaveAction(drain(), T1)).rejects.toThrow(/cannot start: execution exec-\d+ is CANCELLED/);
  });

  it('refuses a post-wave action unless the wave is held LAUNCHED for its actions', async () => {
    await completeFirstWave();
    await store.claimWave(executionId, 1, T1, DEADLINE);

    await expect(store.beginWaveAction(smoke(), T1)).rejects.toThrow(
      "post-wave action 'Smoke' of wave 2 cannot start: wave 2 is LAUNCHING and not held for its post-wave actions",
    );

    await store.holdLaunchedWave(executionId, 1, launched(serverId(3)), {
      reason: 'all 1 servers LAUNCHED',
      optionalFailedServers: [],
      launchedAt: T1.toISOString(),
    });
    expect(await store.beginWaveAction(smoke(), T1)).toMatchObject({ started: true });
    // Held, the wave is not counted: the next wave cannot be claimed.
    await expect(store.claimWave(executionId, 2, T1, DEADLINE)).rejects.toThrow(WaveNotStartable);
  });

  it('records an end once: a repeated end keeps the first', async () => {
    await completeFirstWave();
    await store.beginWaveAction(drain(), T1);

    const ended = await store.endWaveAction(drain(), { status: 'SUCCEEDED', message: 'drained' }, T1);
    const repeated = await store.endWaveAction(drain(), { status: 'FAILED', message: 'later' }, T1);

    expect(ended).toMatchObject({ status: 'SUCCEEDED', message: 'drained', endedAt: T1.toISOString() });
    expect(repeated).toEqual(ended);
  });

  it('refuses to end an action that was never started', async () => {
    await expect(store.endWaveAction(drain(), { status: 'SUCCEEDED', message: 'x' }, T1)).rejects.toThrow(
      RecordsInconsistent,
    );
  });

  it('skips the later actions without overwriting one that has a run, and fails the wave before its start', async () => {
    await completeFirstWave();
    await store.beginWaveAction(drain(), T1);
    await store.endWaveAction(drain(), { status: 'FAILED', message: 'no' }, T1);

    await store.skipWaveActions([drain(), smoke()], 'skipped', T1);
    await store.failWaveBeforeStart(executionId, 1, 'pre-wave action failed', T1);
    await store.failWaveBeforeStart(executionId, 1, 'pre-wave action failed', T1);

    const wave = await store.getWave(executionId, 1);
    expect(wave.actionRuns?.['PRE-0']).toMatchObject({ status: 'FAILED', message: 'no' });
    expect(wave.actionRuns?.['POST-0']).toMatchObject({ status: 'SKIPPED', message: 'skipped' });
    expect(wave).toMatchObject({ status: 'FAILED', failedServers: [], reason: 'pre-wave action failed' });
    expect(wave.jobId).toBeUndefined();
    // A failed wave is never counted: nothing later can start.
    await expect(store.claimWave(executionId, 1, T1, DEADLINE)).rejects.toThrow(WaveNotStartable);
  });

  describe("the wave item's own conditions (the second line, when a read is stale or the items disagree)", () => {
    const VERDICT = { reason: 'all 1 servers LAUNCHED', optionalFailedServers: [], launchedAt: T1.toISOString() };
    const table = (): RecordsTable => ({ db: local.db, tableName: 'executions' });
    const setStatus = (index: number, status: string) =>
      local.db.send(
        new UpdateCommand({
          TableName: 'executions',
          Key: waveKey(executionId, index),
          UpdateExpression: 'SET #status = :status',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':status': status },
        }),
      );
    /** Records on a client that runs `before` ahead of the write whose UpdateExpression is `expression`. */
    const interfering = (expression: string, before: () => Promise<unknown>) =>
      new WaveActionRecords({
        tableName: 'executions',
        db: {
          send: async (command: object) => {
            if (command instanceof UpdateCommand && command.input.UpdateExpression === expression) await before();
            return local.db.send(command as UpdateCommand);
          },
        } as unknown as RecordsTable['db'],
      });

    it('starts no pre-wave action on a wave claimed after the check read it as claimable', async () => {
      await completeFirstWave();
      const records = interfering('SET actionRuns.#key = :run', () => setStatus(1, 'LAUNCHING'));

      await expect(records.begin(drain(), T1)).rejects.toThrow(
        "pre-wave action 'Drain' of wave 2 cannot start: wave 2 is LAUNCHING",
      );
      expect((await store.getWave(executionId, 1)).actionRuns?.['PRE-0']).toBeUndefined();
    });

    it('starts no post-wave action once its held wave has ended', async () => {
      await completeFirstWave();
      await store.claimWave(executionId, 1, T1, DEADLINE);
      await store.holdLaunchedWave(executionId, 1, launched(serverId(3)), VERDICT);
      await setStatus(1, 'FAILED');

      await expect(store.beginWaveAction(smoke(), T1)).rejects.toThrow(
        "post-wave action 'Smoke' of wave 2 cannot start: wave 2 is FAILED",
      );
      expect((await store.getWave(executionId, 1)).actionRuns?.['POST-0']).toBeUndefined();
    });

    it('holds only a LAUNCHING wave for its post-wave actions', async () => {
      await expect(store.holdLaunchedWave(executionId, 1, launched(serverId(3)), VERDICT)).rejects.toMatchObject({
        name: 'ConditionalCheckFailedException',
      });
      const wave = await store.getWave(executionId, 1);
      expect(wave.launchVerdict).toBeUndefined();
      expect(wave.servers ?? []).toEqual([]);
    });

    it('fails before its start only a wave its item records as NOT_STARTED, even when its claim says FAILED', async () => {
      await completeFirstWave();
      await endUnlaunchedOnExecution(table(), executionId, 1, 'FAILED');
      await setStatus(1, 'LAUNCHING');

      await expect(store.failWaveBeforeStart(executionId, 1, 'pre-wave action failed', T1)).rejects.toThrow(
        'wave 2 is LAUNCHING in the records, cannot record it FAILED',
      );
      expect(await store.getWave(executionId, 1)).toMatchObject({ status: 'LAUNCHING' });
    });

    it('surfaces a DynamoDB fault in each write for the Retry, never reading it as a refusal', async () => {
      await completeFirstWave();
      const throttled = async () => {
        throw Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' });
      };
      const fault = { name: 'ProvisionedThroughputExceededException' };

      await expect(interfering('SET actionRuns.#key = :run', throttled).begin(drain(), T1)).rejects.toMatchObject(
        fault,
      );
      await store.beginWaveAction(drain(), T1);
      const ending =
        'SET actionRuns.#key.#runStatus = :runStatus, actionRuns.#key.message = :message, actionRuns.#key.endedAt = :endedAt';
      await expect(
        interfering(ending, throttled).end(drain(), { status: 'FAILED', message: 'no' }, T1),
      ).rejects.toMatchObject(fault);
      await store.endWaveAction(drain(), { status: 'FAILED', message: 'no' }, T1);
      const claimFault = new WaveActionRecords({
        tableName: 'executions',
        db: { send: throttled } as unknown as RecordsTable['db'],
      });
      const claiming = 'SET waves.#w = :claim, failedWaves = if_not_exists(failedWaves, :zero) + :one';
      await expect(interfering(claiming, throttled).failBeforeStart(executionId, 1, 'no', T1)).rejects.toMatchObject(
        fault,
      );
      const failing = 'SET #status = :failed, failedServers = :none, reason = :reason, endedAt = :endedAt';
      await expect(interfering(failing, throttled).failBeforeStart(executionId, 1, 'no', T1)).rejects.toMatchObject(
        fault,
      );
      expect(await store.getWave(executionId, 1)).toMatchObject({ status: 'NOT_STARTED' });
      // Nothing to skip: nothing written.
      await expect(claimFault.skip([], 'skipped', T1)).resolves.toBeUndefined();
    });

    it('fails no wave before its start once it was claimed', async () => {
      await completeFirstWave();
      await store.claimWave(executionId, 1, T1, DEADLINE);

      await expect(store.failWaveBeforeStart(executionId, 1, 'pre-wave action failed', T1)).rejects.toThrow(
        'wave 2 cannot be failed before its start: its claim on execution',
      );
      expect(await store.getWave(executionId, 1)).toMatchObject({ status: 'LAUNCHING' });
    });
  });
});
