import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { waveKey } from '../../../../functions/shared/records/keys';
import type { RecordsTable } from '../../../../functions/shared/records/table';
import { MAX_WAVE_OUTAGES, WaveOutages } from '../../../../functions/shared/records/wave-outages';
import { threeWavePlan, useExecutionStore } from '../../../support/store';

const T0 = new Date('2026-01-01T00:00:00Z');
const DEADLINE = new Date('2026-01-01T01:00:00Z');
const at = (minute: number) => new Date(T0.getTime() + minute * 60_000);
const iso = (minute: number) => at(minute).toISOString();
const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' });

describe("a launching wave's DRS outages in the records", () => {
  const world = useExecutionStore('outages', T0);
  let executionId: string;
  beforeEach(async () => {
    executionId = await world.execution(threeWavePlan());
    await world.store.claimWave(executionId, 0, T0, DEADLINE);
  });
  const table = (db = world.local.db): RecordsTable => ({ db, tableName: 'executions' });
  const outages = (db = world.local.db) => new WaveOutages(table(db));
  const failed = (minute: number, operation = 'DescribeJobs', error = 'InternalServerException: boom') =>
    outages().failedRead(executionId, 0, { operation, error, at: at(minute) });
  const recorded = async () => (await world.store.getWave(executionId, 0)).outages;
  const setStatus = (status: string) =>
    world.local.db.send(
      new UpdateCommand({
        TableName: 'executions',
        Key: waveKey(executionId, 0),
        UpdateExpression: 'SET #status = :status',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':status': status },
      }),
    );
  /** A client that runs `before` ahead of every write of the outages. */
  const interfering = (before: () => Promise<unknown>) =>
    ({
      send: async (command: object) => {
        if (command instanceof UpdateCommand) await before();
        return world.local.db.send(command as UpdateCommand);
      },
    }) as unknown as RecordsTable['db'];

  it('records a failed read as a new outage: the operation, since when, one attempt and the error', async () => {
    const { wave, outage } = await failed(1);

    const first = {
      operation: 'DescribeJobs',
      since: iso(1),
      lastAt: iso(1),
      attempts: 1,
      lastError: 'InternalServerException: boom',
    };
    expect(outage).toEqual(first);
    expect(wave.outages).toEqual([first]);
    expect(await recorded()).toEqual([first]);
  });

  it('counts the next failed reads as more attempts of the outage under way, keeping when it began', async () => {
    await failed(1);
    await failed(2);
    const { outage } = await failed(4, 'ListLaunchActions', 'ThrottlingException: slow down');

    const expected = {
      operation: 'ListLaunchActions',
      since: iso(1),
      lastAt: iso(4),
      attempts: 3,
      lastError: 'ThrottlingException: slow down',
    };
    expect(outage).toEqual(expected);
    expect(await recorded()).toEqual([expected]);
  });

  it('ends the outage under way when DRS answers, once, and counts the next failure as a new outage', async () => {
    await failed(1);
    await outages().answered(executionId, 0, at(3));
    await outages().answered(executionId, 0, at(5));

    expect(await recorded()).toEqual([expect.objectContaining({ since: iso(1), until: iso(3), attempts: 1 })]);

    const { outage } = await failed(7);
    expect(outage).toEqual(expect.objectContaining({ since: iso(7), attempts: 1 }));
    expect(outage.until).toBeUndefined();
    expect(await recorded()).toEqual([
      expect.objectContaining({ since: iso(1), until: iso(3) }),
      expect.objectContaining({ since: iso(7), attempts: 1 }),
    ]);
  });

  it('writes nothing when DRS answers and no outage is under way', async () => {
    const watched = interfering(async () => {
      throw new Error('no write expected');
    });
    await outages(watched).answered(executionId, 0, at(3));
    expect(await recorded()).toBeUndefined();
  });

  it(`keeps the last ${MAX_WAVE_OUTAGES} outages, the oldest going first`, async () => {
    for (let n = 0; n <= MAX_WAVE_OUTAGES; n++) {
      await failed(2 * n);
      await outages().answered(executionId, 0, at(2 * n + 1));
    }

    const kept = (await recorded()) ?? [];
    expect(kept).toHaveLength(MAX_WAVE_OUTAGES);
    expect(kept[0]?.since).toBe(iso(2));
    expect(kept.at(-1)?.since).toBe(iso(2 * MAX_WAVE_OUTAGES));
  });

  it("never changes an ended wave's record: a failed read on it is refused", async () => {
    await failed(1);
    await setStatus('COMPLETED');

    await expect(failed(2)).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    expect(await recorded()).toEqual([expect.objectContaining({ attempts: 1, lastAt: iso(1) })]);
  });

  it('keeps the outage open on a wave that ended while DRS answered, and surfaces a DynamoDB fault', async () => {
    await failed(1);
    await outages(interfering(() => setStatus('FAILED'))).answered(executionId, 0, at(3));
    expect(await recorded()).toEqual([expect.objectContaining({ since: iso(1) })]);
    expect((await recorded())?.[0]?.until).toBeUndefined();

    await setStatus('LAUNCHING');
    await expect(
      outages(
        interfering(async () => {
          throw throttled();
        }),
      ).answered(executionId, 0, at(4)),
    ).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
  });
});
