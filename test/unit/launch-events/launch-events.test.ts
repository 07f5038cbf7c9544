import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidToken, type SendTaskSuccessCommand, TaskTimedOut } from '@aws-sdk/client-sfn';
import { awaitLaunch } from '../../../functions/await-launch/await-launch';
import { handleLaunchEvent } from '../../../functions/launch-events/launch-events';
import type { ExecutionStore } from '../../../functions/shared/execution-store';
import { launchResultEvent, MalformedLaunchEvent } from '../../../functions/shared/launch-result-event';
import type { Plan } from '../../../functions/shared/types';
import { serverId, startStore } from '../../support/store';

/**
 * The launch wait on dynalite: await-launch (the token, and results that came before the wait) and
 * launch-events (each result once, a wake only when the results may decide the wave), with a
 * Step Functions that records every SendTaskSuccess and refuses the tokens a test says are stale.
 */
const T0 = new Date('2026-01-01T00:00:00Z');
const DEADLINE = new Date('2026-01-01T01:00:00Z');
const fixture = JSON.parse(
  readFileSync(join(__dirname, '../../fixtures/drs-model/events/drs-source-server-launch-result.json'), 'utf8'),
) as { samples: Record<string, unknown>[] };

class FakeStepFunctions {
  readonly sent: { token: string; output: unknown }[] = [];
  readonly stale = new Set<string>();
  async send(command: SendTaskSuccessCommand): Promise<unknown> {
    const token = command.input.taskToken ?? '';
    if (this.stale.has(token)) throw new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} });
    if (token.startsWith('unknown')) throw new InvalidToken({ message: 'Invalid Token', $metadata: {} });
    this.sent.push({ token, output: JSON.parse(command.input.output ?? 'null') });
    return {};
  }
}

describe('the launch wait (await-launch and launch-events, on dynalite)', () => {
  let local: Awaited<ReturnType<typeof startStore>>;
  let store: ExecutionStore;
  let sfn: FakeStepFunctions;
  let n = 0;
  let executionId: string;
  let jobId: string;
  const event = (sourceServerID: string, result: 'LAUNCHED' | 'FAILED', job = jobId) =>
    launchResultEvent({
      jobId: job,
      sourceServerID,
      result,
      isDrill: true,
      at: T0,
      region: 'us-east-1',
      account: '123456789012',
      id: `e-${sourceServerID}`,
    });
  const deliver = (e: unknown) => handleLaunchEvent({ store, sfn })(e);
  const wait = (taskToken: string) =>
    awaitLaunch({ store, sfn, clock: { now: () => T0 } })({
      executionId,
      wave: { index: 0, name: 'Wave 1' },
      jobId,
      taskToken,
    });

  /** One launching wave of `servers` members, the last `optional` of them optional. */
  async function launchingWave(servers: number, optional = 0) {
    executionId = `exec-${++n}`;
    jobId = `drsjob-${String(n).padStart(17, '0')}`;
    const ids = Array.from({ length: servers }, (_, i) => serverId(n * 1000 + i));
    const plan: Plan = {
      planId: `plan-${n}`,
      name: 'Plan',
      pollIntervalSeconds: 30,
      waves: [
        {
          name: 'Wave 1',
          sourceServerIDs: ids.slice(0, servers - optional),
          ...(optional > 0 ? { optionalSourceServerIDs: ids.slice(servers - optional) } : {}),
          timeoutMinutes: 60,
        },
      ],
    };
    await store.createExecution({ executionId, plan, executionType: 'DRILL', startedAt: T0 });
    await store.claimWave(executionId, 0, T0, DEADLINE);
    await store.recordJob(executionId, 0, jobId);
    return ids;
  }

  beforeAll(async () => {
    local = await startStore();
    store = local.store;
  });
  afterAll(async () => local.stop());
  beforeEach(() => {
    sfn = new FakeStepFunctions();
  });

  it('wakes a 100-server wave once, when the last result comes, whatever duplicates and order', async () => {
    const ids = await launchingWave(100);
    await wait('token-1');
    const shuffled = [...ids].reverse();
    for (const id of shuffled) {
      await deliver(event(id, 'LAUNCHED'));
      await deliver(event(id, 'LAUNCHED'));
    }

    expect(sfn.sent).toEqual([{ token: 'token-1', output: { wokenBy: 'LAUNCH_EVENT', decision: 'ALL_RESULTS' } }]);
    const recorded = await store.launchWaits.get(jobId);
    expect(recorded?.launched?.size).toBe(100);
  });

  it('wakes the wave at once when a required server fails, and not again for the next failure', async () => {
    const ids = await launchingWave(3);
    await wait('token-1');
    await deliver(event(ids[0] as string, 'LAUNCHED'));
    expect(sfn.sent).toEqual([]);
    await deliver(event(ids[1] as string, 'FAILED'));
    await deliver(event(ids[2] as string, 'FAILED'));

    expect(sfn.sent).toEqual([{ token: 'token-1', output: { wokenBy: 'LAUNCH_EVENT', decision: 'REQUIRED_FAILED' } }]);
  });

  it("does not wake for an optional server's failure, only once every member has a result", async () => {
    const ids = await launchingWave(3, 1);
    await wait('token-1');
    await deliver(event(ids[2] as string, 'FAILED'));
    await deliver(event(ids[0] as string, 'LAUNCHED'));
    expect(sfn.sent).toEqual([]);
    await deliver(event(ids[1] as string, 'LAUNCHED'));

    expect(sfn.sent.map((s) => s.output)).toEqual([{ wokenBy: 'LAUNCH_EVENT', decision: 'ALL_RESULTS' }]);
  });

  it('wakes the wait itself when the results that came between two waits already decide the wave', async () => {
    const ids = await launchingWave(2);
    await wait('token-1');
    sfn.stale.add('token-1');
    // The first wait timed out; both results come before the next wait begins.
    await deliver(event(ids[0] as string, 'LAUNCHED'));
    await deliver(event(ids[1] as string, 'LAUNCHED'));
    expect(sfn.sent).toEqual([]);

    expect(await wait('token-2')).toEqual({ status: 'WOKEN' });
    expect(sfn.sent.map((s) => s.token)).toEqual(['token-2']);
    // Its own wake is not repeated by the next wait (a woken wave whose job DRS does not show decided yet).
    expect(await wait('token-3')).toEqual({ status: 'WAITING' });
    expect(sfn.sent).toHaveLength(1);
  });

  it('records nothing for a job no wave waits on (a launch outside the orchestrator)', async () => {
    await launchingWave(1);
    const foreign = 'drsjob-99999999999999999';

    expect(await deliver(event(serverId(1), 'LAUNCHED', foreign))).toEqual({ outcome: 'NOT_OURS' });
    expect(await store.launchWaits.get(foreign)).toBeUndefined();
  });

  it('parses the documented samples, and refuses another shape naming every problem, writing nothing', async () => {
    const ids = await launchingWave(1);
    await wait('token-1');
    const sample = {
      ...(fixture.samples[0] as object),
      detail: { state: 'RECOVERY_LAUNCH_SUCCEEDED', 'job-id': jobId, 'is-drill': 'TRUE' },
    };
    const withServer = { ...sample, resources: [`arn:aws:drs:us-east-1:123456789012:source-server/${ids[0]}`] };

    await expect(deliver({ ...withServer, detail: { state: 'LAUNCHED', 'job-id': 'job-1' } })).rejects.toThrow(
      MalformedLaunchEvent,
    );
    expect(sfn.sent).toEqual([]);
    expect(await deliver(withServer)).toEqual({ outcome: 'WOKEN' });
  });

  it('refuses a stale wake quietly (TaskTimedOut), and gives the claim back for the next wait', async () => {
    const ids = await launchingWave(1);
    await wait('token-1');
    sfn.stale.add('token-1');

    expect(await deliver(event(ids[0] as string, 'LAUNCHED'))).toEqual({ outcome: 'STALE_TOKEN' });
    expect(await wait('token-2')).toEqual({ status: 'WOKEN' });
    expect(sfn.sent.map((s) => s.token)).toEqual(['token-2']);
  });
});
