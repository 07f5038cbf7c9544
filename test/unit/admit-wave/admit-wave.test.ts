import { AccessDeniedException, DescribeJobsCommand, DrsClient, ThrottlingException } from '@aws-sdk/client-drs';
import { admitWave } from '../../../functions/admit-wave/admit-wave';
import { DrsRejected } from '../../../functions/shared/errors';
import type { AdmissionWave } from '../../../functions/shared/wave-admission';
import type { PlanScheduling } from '../../../functions/shared/wave-graph';
import { drsInputs, mockDrs, whenDrs } from '../../support/drs-mock';

const drs = mockDrs();
const drsClient = new DrsClient({});
/** A job of another execution (or of a person), running in the account. */
const otherJob = (jobID: string, servers: number) => ({
  jobID,
  type: 'LAUNCH',
  status: 'STARTED',
  participatingServers: Array.from({ length: servers }, (_, i) => ({ sourceServerID: `s-other${i}` })),
});

const STOP: PlanScheduling = { onWaveFailure: 'STOP', maxConcurrentJobs: 20, maxServersInAllJobs: 500 };
const CONTINUE: PlanScheduling = { ...STOP, onWaveFailure: 'CONTINUE' };

/** A store over the execution item's claims (admission states) and the stored tokens; Step Functions records what it is sent. */
function world(states: AdmissionWave['state'][], dependencies: number[][], learned: { drsJobsLimit?: number } = {}) {
  const waves: AdmissionWave[] = states.map((state, index) => ({
    index,
    state,
    servers: 1,
    dependsOn: dependencies[index] ?? [],
  }));
  const tokens = new Map<number, string>();
  const sent: { taskToken: string; output: unknown }[] = [];
  const store = {
    admissionWaves: async () => waves.map((w) => ({ ...w })),
    admissionView: async () => ({ waves: waves.map((w) => ({ ...w })), learned }),
    skipWave: async (_: string, index: number) => {
      (waves[index] as AdmissionWave).state = 'SKIPPED';
    },
    failUnlaunchedWave: async (_: string, index: number) => {
      (waves[index] as AdmissionWave).state = 'FAILED';
    },
    endWave: async (_: string, index: number) => {
      (waves[index] as AdmissionWave).state = 'FAILED';
    },
    markWaitingForCapacity: async (_: string, index: number, waiting: boolean) => {
      (waves[index] as AdmissionWave).waitingForCapacity = waiting;
    },
    admissionWaits: {
      open: async (_: string, index: number, token: string) => void tokens.set(index, token),
      tokens: async () => new Map(tokens),
    },
  };
  const sfn = {
    send: async (command: { input: { taskToken?: string; output?: string } }) => {
      sent.push({ taskToken: command.input.taskToken as string, output: JSON.parse(command.input.output ?? 'null') });
      return {};
    },
  };
  const task = admitWave({
    store: store as never,
    sfn: sfn as never,
    drs: drsClient,
    clock: { now: () => new Date(0) },
  });
  const admit = (index: number, scheduling = STOP) =>
    task({
      step: 'ADMIT',
      executionId: 'exec-1',
      wave: { index, name: `Wave ${index + 1}` },
      dependencies,
      scheduling,
      taskToken: `token-${index}`,
    });
  const wake = (verdict: { waveIndex: number; status: string }, scheduling = STOP) =>
    task({ step: 'WAKE', executionId: 'exec-1', verdict, dependencies, scheduling });
  return { waves, sent, admit, wake };
}

describe('admit-wave ("Wait for dependencies and room" and "Wake waiting waves")', () => {
  beforeEach(() => {
    drs.reset();
    whenDrs(drs, DescribeJobsCommand).resolves({ items: [] });
  });

  it("counts DRS's other running jobs against the quotas: a wave that fits only without them waits WAITING_FOR_CAPACITY", async () => {
    whenDrs(drs, DescribeJobsCommand).resolves({ items: [otherJob('drsjob-other', 500)] });
    const w = world(['COMPLETED', 'WAITING'], [[], [0]]);

    await expect(w.admit(1)).resolves.toMatchObject({ status: 'WAITING' });

    expect(w.sent).toEqual([]);
    expect(w.waves[1]?.waitingForCapacity).toBe(true);
  });

  it("leaves this execution's own jobs out of the others: their room is counted on the execution item", async () => {
    whenDrs(drs, DescribeJobsCommand).resolves({ items: [otherJob('drsjob-mine', 499)] });
    const w = world(['ADMITTED', 'WAITING'], [[], []]);
    (w.waves[0] as AdmissionWave).jobId = 'drsjob-mine';

    await expect(w.admit(1)).resolves.toMatchObject({ status: 'DECIDED' });
    expect(w.sent).toEqual([{ taskToken: 'token-1', output: expect.objectContaining({ decision: 'START' }) }]);
  });

  it("counts an ended wave's job that DRS still runs (FAILED while other servers launch on) as a running job", async () => {
    whenDrs(drs, DescribeJobsCommand).resolves({ items: [otherJob('drsjob-failed', 1)] });
    const w = world(['FAILED', 'WAITING'], [[], []]);
    (w.waves[0] as AdmissionWave).jobId = 'drsjob-failed';

    await expect(w.admit(1, { ...CONTINUE, maxConcurrentJobs: 1 })).resolves.toMatchObject({ status: 'WAITING' });
    expect(w.sent).toEqual([]);
    expect(w.waves[1]?.waitingForCapacity).toBe(true);
  });

  it('admits no more jobs at once than DRS ran when it refused a start for a quota (the learned drsJobsLimit)', async () => {
    const w = world(['ADMITTED', 'WAITING'], [[], []], { drsJobsLimit: 1 });

    await expect(w.admit(1)).resolves.toMatchObject({ status: 'WAITING' });
    expect(w.sent).toEqual([]);
    expect(w.waves[1]?.waitingForCapacity).toBe(true);

    const room = world(['ADMITTED', 'WAITING'], [[], []], { drsJobsLimit: 2 });
    await expect(room.admit(1)).resolves.toMatchObject({ status: 'DECIDED' });
  });

  it('admits nothing and marks nothing when DRS does not answer (an unknown count is not zero); the wait asks again', async () => {
    whenDrs(drs, DescribeJobsCommand).rejects(
      new ThrottlingException({ message: 'slow down', $metadata: { httpStatusCode: 429 } }),
    );
    const w = world(['COMPLETED', 'WAITING', 'FAILED', 'WAITING'], [[], [0], [], [2]]);

    // A wave that can never start is still decided: that needs no room.
    await expect(w.admit(3, CONTINUE)).resolves.toMatchObject({ status: 'DECIDED' });
    await expect(w.admit(1, CONTINUE)).resolves.toMatchObject({ status: 'WAITING' });

    expect(w.sent).toEqual([{ taskToken: 'token-3', output: expect.objectContaining({ decision: 'NOT_STARTED' }) }]);
    expect(w.waves[1]?.waitingForCapacity).toBeUndefined();
  });

  it('fails with DrsRejected when DRS refuses DescribeJobs (a missing permission is for an operator to fix)', async () => {
    whenDrs(drs, DescribeJobsCommand).rejects(
      new AccessDeniedException({ message: 'no', $metadata: { httpStatusCode: 403 } }),
    );
    const w = world(['COMPLETED', 'WAITING'], [[], [0]]);
    await expect(w.admit(1)).rejects.toThrow(DrsRejected);
  });

  it('reads DescribeJobs only when a wave is waiting', async () => {
    const w = world(['COMPLETED', 'ADMITTED'], [[], [0]]);
    await w.wake({ waveIndex: 0, status: 'COMPLETED' });
    expect(drsInputs(drs, DescribeJobsCommand)).toEqual([]);
  });
  it('reads DescribeJobs only when a waiting wave is ready: not while every waiting wave waits for a dependency', async () => {
    const w = world(['ADMITTED', 'WAITING', 'WAITING'], [[], [0], [1]]);
    await expect(w.admit(1)).resolves.toMatchObject({ status: 'WAITING' });
    await expect(w.admit(2)).resolves.toMatchObject({ status: 'WAITING' });
    expect(drsInputs(drs, DescribeJobsCommand)).toEqual([]);
  });
  it('answers its own token START at once when every wave it depends on COMPLETED and there is room', async () => {
    const w = world(['COMPLETED', 'WAITING'], [[], [0]]);
    await expect(w.admit(1)).resolves.toMatchObject({ status: 'DECIDED' });
    expect(w.sent).toEqual([{ taskToken: 'token-1', output: expect.objectContaining({ decision: 'START' }) }]);
  });

  it("leaves a wave whose dependency still runs waiting, and wakes it with START at that dependency's verdict", async () => {
    const w = world(['ADMITTED', 'WAITING'], [[], [0]]);
    await expect(w.admit(1)).resolves.toMatchObject({ status: 'WAITING' });
    expect(w.sent).toEqual([]);
    (w.waves[0] as AdmissionWave).state = 'COMPLETED';
    await w.wake({ waveIndex: 0, status: 'COMPLETED' });
    expect(w.sent).toEqual([{ taskToken: 'token-1', output: expect.objectContaining({ decision: 'START' }) }]);
  });

  it('records a wave ended without a launch (a rejected gate) FAILED at its verdict, so its dependants are answered NOT_STARTED and recorded so', async () => {
    const w = world(['WAITING', 'WAITING'], [[], [0]]);
    await w.admit(0);
    await w.admit(1);
    w.sent.length = 0;
    await w.wake({ waveIndex: 0, status: 'FAILED' });
    expect(w.waves.map((x) => x.state)).toEqual(['FAILED', 'SKIPPED']);
    expect(w.sent).toEqual([
      {
        taskToken: 'token-1',
        output: expect.objectContaining({ decision: 'NOT_STARTED', reason: expect.stringContaining('STOP') }),
      },
    ]);
  });

  it('answers a wave NOT_STARTED when an earlier round skipped it before its own wait stored a token (no round would decide it again)', async () => {
    const w = world(['FAILED', 'WAITING'], [[], [0]]);
    // Wave 1's iteration has not asked yet: the verdict's round skips it and has no token to answer.
    await w.wake({ waveIndex: 0, status: 'FAILED' });
    expect(w.waves.map((x) => x.state)).toEqual(['FAILED', 'SKIPPED']);
    expect(w.sent).toEqual([]);

    await expect(w.admit(1)).resolves.toMatchObject({ status: 'DECIDED' });
    expect(w.sent).toEqual([{ taskToken: 'token-1', output: expect.objectContaining({ decision: 'NOT_STARTED' }) }]);
  });

  it('under CONTINUE starts an independent wave after a failure, and never one that depends on the failed wave', async () => {
    const w = world(['FAILED', 'WAITING', 'WAITING'], [[], [0], []]);
    await w.admit(1, CONTINUE);
    await w.admit(2, CONTINUE);
    expect(w.sent).toEqual([
      {
        taskToken: 'token-1',
        output: expect.objectContaining({ decision: 'NOT_STARTED', reason: expect.stringContaining('CONTINUE') }),
      },
      { taskToken: 'token-2', output: expect.objectContaining({ decision: 'START' }) },
    ]);
  });

  it('keeps a wave waiting for room while maxConcurrentWaves are running', async () => {
    const w = world(['ADMITTED', 'WAITING'], [[], []]);
    await expect(w.admit(1, { ...STOP, maxConcurrentWaves: 1 })).resolves.toMatchObject({ status: 'WAITING' });
    expect(w.sent).toEqual([]);
  });

  it('records a ready wave without room WAITING_FOR_CAPACITY, and drops the mark when a verdict frees room and admits it', async () => {
    const w = world(['ADMITTED', 'WAITING', 'WAITING'], [[], [], [0]]);
    await w.admit(1, { ...STOP, maxConcurrentWaves: 1 });
    await w.admit(2, { ...STOP, maxConcurrentWaves: 1 });
    // Wave 3 waits for its dependency, not for room: it stays NOT_STARTED.
    expect(w.waves.map((x) => x.waitingForCapacity)).toEqual([undefined, true, undefined]);

    (w.waves[0] as AdmissionWave).state = 'COMPLETED';
    await w.wake({ waveIndex: 0, status: 'COMPLETED' }, { ...STOP, maxConcurrentWaves: 1 });

    expect(w.waves[1]?.waitingForCapacity).toBe(false);
    expect(w.sent).toEqual([{ taskToken: 'token-1', output: expect.objectContaining({ decision: 'START' }) }]);
  });

  it('refuses input that is not an admission question, naming every problem', async () => {
    const w = world([], []);
    await expect(
      admitWave({ store: {} as never, sfn: {} as never, drs: drsClient, clock: { now: () => new Date(0) } })({
        step: 'ADMIT',
        executionId: '',
        wave: { index: -1 },
        dependencies: [],
        scheduling: {},
      }),
    ).rejects.toThrow(/executionId[\s\S]*scheduling\.onWaveFailure[\s\S]*wave\.index[\s\S]*wave\.name[\s\S]*taskToken/);
    expect(w.sent).toEqual([]);
  });
});
