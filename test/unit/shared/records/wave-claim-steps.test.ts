import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { RecordsInconsistent, WaveNotStartable, WaveWaitingForCapacity } from '../../../../functions/shared/errors';
import type { ExecutionRecord } from '../../../../functions/shared/records/execution-records';
import type { RecordsTable } from '../../../../functions/shared/records/table';
import { WaveClaimSteps } from '../../../../functions/shared/records/wave-claim-steps';
import type { WaveClaim } from '../../../../functions/shared/records/wave-claims';
import type { WaveEnd, WaveSpec, WaveSpecs } from '../../../../functions/shared/records/wave-records';

/**
 * A wave's steps when a write is refused or fails, without dynalite: a table that answers every read
 * with the execution item given and every write as told (done, refused by its condition, or a
 * DynamoDB fault), so what the steps make of each answer is seen alone. The writes' conditions
 * themselves are tested on dynalite (wave-claims.test.ts, wave-records.test.ts).
 */
const T0 = new Date('2026-01-01T00:00:00Z');
const DEADLINE = new Date('2026-01-01T01:00:00Z');
const refused = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const fault = Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' });

function record(waves: Record<string, WaveClaim> = {}, fields: Partial<ExecutionRecord> = {}): ExecutionRecord {
  return {
    executionId: 'steps-1',
    planId: 'p',
    executionType: 'DRILL',
    status: 'POLLING',
    waveCount: 2,
    completedWaves: 0,
    startedAt: T0.toISOString(),
    waves,
    runningWaves: 0,
    runningServers: 0,
    failedWaves: 0,
    scheduling: { onWaveFailure: 'STOP', maxConcurrentJobs: 20, maxServersInAllJobs: 500 },
    ...fields,
  };
}

type Write = (input: Record<string, unknown>, n: number) => void;

/** The steps on a table holding `execution`; each write (UpdateCommand) goes through `write`, and is kept. */
function steps(execution: ExecutionRecord | undefined, write: Write = () => {}) {
  const writes: Record<string, unknown>[] = [];
  const db = {
    async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
      if (command.constructor.name === 'GetCommand') return { Item: execution && { ...execution } };
      writes.push(command.input);
      write(command.input, writes.length);
      return {};
    },
  };
  const spec: WaveSpec = { name: 'App', sourceServerIDs: ['s-1'], timeoutMinutes: 60, dependencies: [] };
  const specs = { get: async () => spec } as unknown as WaveSpecs;
  return { steps: new WaveClaimSteps({ db, tableName: 'executions' } as unknown as RecordsTable, specs), writes };
}

const failing =
  (error: unknown, at = 1): Write =>
  (_input, n) => {
    if (n === at) throw error;
  };

const ended = (status: WaveEnd['status'], endedAt = new Date('2026-01-01T00:10:00Z')): WaveEnd => ({
  status,
  failedServers: [],
  reason: 'test',
  endedAt,
});

describe('WaveClaimSteps when a write is refused or fails', () => {
  it('surfaces a DynamoDB fault (throttling) in every write for the Retry, never reading it as a refusal', async () => {
    const launching = record({ 0: { status: 'LAUNCHING', servers: 1 } });
    await expect(steps(record(), failing(fault)).steps.claim('steps-1', 0, T0, DEADLINE)).rejects.toBe(fault);
    // The wave's item ends (first write), the claim's verdict (second) fails.
    await expect(steps(launching, failing(fault, 2)).steps.end('steps-1', 0, ended('COMPLETED'), T0)).rejects.toBe(
      fault,
    );
    await expect(steps(record(), failing(fault)).steps.endUnlaunched('steps-1', 0, 'NOT_STARTED')).rejects.toBe(fault);
    await expect(steps(record(), failing(fault)).steps.markWaiting('steps-1', 0, true)).rejects.toBe(fault);
    await expect(steps(record(), failing(fault)).steps.markWaiting('steps-1', 0, false)).rejects.toBe(fault);
  });

  it('refuses for good a claim on an execution that is not recorded (WaveNotStartable, not a TypeError)', async () => {
    const refusal = steps(undefined, failing(refused())).steps.claim('steps-1', 0, T0, DEADLINE);
    await expect(refusal).rejects.toThrow(WaveNotStartable);
    await expect(refusal).rejects.toThrow("wave 1 'App' not started: execution steps-1 is not recorded");
  });

  it('names a refused claim from the record read after it', async () => {
    const full = record({ 1: { status: 'LAUNCHING', servers: 1 } }, { runningWaves: 1, runningServers: 1 });
    full.scheduling = { onWaveFailure: 'STOP', maxConcurrentJobs: 1, maxServersInAllJobs: 500 };
    await expect(steps(full, failing(refused())).steps.claim('steps-1', 0, T0, DEADLINE)).rejects.toThrow(
      WaveWaitingForCapacity,
    );
  });

  it('accepts a verdict an earlier attempt recorded, and refuses one the claim contradicts, naming both', async () => {
    const done = record({ 0: { status: 'COMPLETED', servers: 1 } });
    await expect(
      steps(done, failing(refused(), 2)).steps.end('steps-1', 0, ended('COMPLETED'), T0),
    ).resolves.toBeUndefined();

    const condition = refused();
    const contradicted = steps(done, failing(condition, 2)).steps.end('steps-1', 0, ended('FAILED'), T0);
    await expect(contradicted).rejects.toThrow(RecordsInconsistent);
    await expect(contradicted).rejects.toMatchObject({
      message: "wave 1 FAILED but execution steps-1 could not record it (status POLLING, wave's claim COMPLETED)",
      cause: condition,
    });
    // No claim at all (never claimed), or no record: refused too, not a TypeError.
    await expect(steps(record(), failing(refused(), 2)).steps.end('steps-1', 0, ended('TIMED_OUT'))).rejects.toThrow(
      "wave 1 TIMED_OUT but execution steps-1 could not record it (status POLLING, wave's claim absent)",
    );
    await expect(steps(undefined, failing(refused(), 2)).steps.end('steps-1', 0, ended('FAILED'))).rejects.toThrow(
      "(status undefined, wave's claim absent)",
    );
  });

  it('records how long a completed wave took, in whole seconds, and never less than nothing', async () => {
    const took = async (startedAt: Date | undefined, endedAt: Date) => {
      const s = steps(record({ 0: { status: 'LAUNCHING', servers: 1 } }));
      await s.steps.end('steps-1', 0, ended('COMPLETED', endedAt), startedAt);
      const values = s.writes[1]?.ExpressionAttributeValues as Record<string, unknown> | undefined;
      return values?.[':took'];
    };
    expect(await took(T0, new Date('2026-01-01T00:10:00.400Z'))).toBe(600);
    expect(await took(new Date('2026-01-01T00:10:00Z'), T0)).toBe(0);
    expect(await took(undefined, T0)).toBe(0);
  });

  it('ends a waiting wave without a launch once: the same end again is accepted, any other claim refused', async () => {
    const skipped = record({ 1: { status: 'NOT_STARTED', servers: 1 } });
    await expect(
      steps(skipped, failing(refused())).steps.endUnlaunched('steps-1', 1, 'NOT_STARTED'),
    ).resolves.toBeUndefined();

    const condition = refused();
    const claimed = steps(record({ 1: { status: 'LAUNCHING', servers: 1 } }), failing(condition));
    const refusal = claimed.steps.endUnlaunched('steps-1', 1, 'FAILED');
    await expect(refusal).rejects.toThrow(RecordsInconsistent);
    await expect(refusal).rejects.toMatchObject({
      message: 'wave 2 cannot be recorded FAILED without a launch: its claim on execution steps-1 is LAUNCHING',
      cause: condition,
    });
    // Refused on an ended execution that never claimed it: its claim is absent, and it is said so.
    await expect(
      steps(record({}, { status: 'FAILED' }), failing(refused())).steps.endUnlaunched('steps-1', 1, 'NOT_STARTED'),
    ).rejects.toThrow(
      'wave 2 cannot be recorded NOT_STARTED without a launch: its claim on execution steps-1 is absent',
    );
  });

  it('reads admission from the execution item: its jobs, the learned limit only when learned, none unrecorded', async () => {
    const running = record({ 0: { status: 'LAUNCHING', servers: 1, jobId: 'drsjob-1' } });
    const view = await steps(running).steps.admissionView('steps-1');
    expect(view.waves[0]).toMatchObject({ state: 'ADMITTED', jobId: 'drsjob-1' });
    expect(view.learned).toStrictEqual({});
    expect((await steps({ ...running, drsJobsLimit: 2 }).steps.admissionView('steps-1')).learned).toEqual({
      drsJobsLimit: 2,
    });

    const missing = steps(undefined).steps.admissionView('steps-1');
    await expect(missing).rejects.toThrow(RecordsInconsistent);
    await expect(missing).rejects.toThrow('execution steps-1 is not recorded');
  });
});
