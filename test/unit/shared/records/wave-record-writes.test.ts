import {
  dependenciesOfSpec,
  endWaveItem,
  newWaveRecords,
  putWaves,
  type WaveRecord,
  WaveSpecs,
} from '../../../../functions/shared/records/wave-records';
import type { Plan } from '../../../../functions/shared/types';
import type { WaveAction } from '../../../../functions/shared/wave-actions-schema';
import { serverId } from '../../../support/store';

/**
 * What the wave records are made of, and the faults dynalite never produces: a batch DynamoDB leaves
 * partly unprocessed (throttling), a write that fails for another reason than its condition. No dynalite
 * here: `send` answers as DynamoDB does for these faults, and counts the reads the specs' cache saves.
 */
const T1 = new Date('2026-01-01T00:10:00Z');
const action = (timeoutSeconds: number) => ({ timeoutSeconds }) as unknown as WaveAction;

describe('the waves a wave waits for', () => {
  it('keeps the dependencies recorded, even none', () => {
    expect(dependenciesOfSpec({ dependencies: [0, 2] }, 3)).toEqual([0, 2]);
    expect(dependenciesOfSpec({ dependencies: [] }, 3)).toEqual([]);
  });

  it('reads a record made before dependencies were kept as waiting for the previous wave only', () => {
    expect(dependenciesOfSpec({}, 0)).toEqual([]);
    expect(dependenciesOfSpec({}, 3)).toEqual([2]);
  });
});

describe('a new execution’s wave records', () => {
  const plan: Plan = {
    planId: 'p',
    name: 'P',
    pollIntervalSeconds: 30,
    waves: [
      { name: 'db', sourceServerIDs: [serverId(1)], timeoutMinutes: 60 },
      {
        name: 'app',
        sourceServerIDs: [serverId(2), serverId(3), serverId(4)],
        optionalSourceServerIDs: [serverId(3)],
        sourceServerTags: { Role: 'app' },
        taggedSourceServerIDs: [serverId(4)],
        preWaveActions: [action(60)],
        postWaveActions: [action(120)],
        targetMinutes: 0,
        timeoutMinutes: 30,
      },
      { name: 'web', sourceServerIDs: [serverId(5)], timeoutMinutes: 60, dependsOn: ['db'] },
    ],
  };

  it('records each wave NOT_STARTED with the waves it waits for, by index and by name', () => {
    const waves = newWaveRecords('e', plan);
    expect(waves.map((w) => [w.index, w.status, w.dependencies, w.dependsOn])).toEqual([
      [0, 'NOT_STARTED', [], []],
      [1, 'NOT_STARTED', [0], ['db']],
      [2, 'NOT_STARTED', [0], ['db']],
    ]);
  });

  it('keeps every member, which are optional, the tags, the actions and the target (a target of 0 too)', () => {
    expect(newWaveRecords('e', plan)[1]).toStrictEqual({
      executionId: 'e',
      index: 1,
      name: 'app',
      dependsOn: ['db'],
      dependencies: [0],
      sourceServerIDs: [serverId(2), serverId(3), serverId(4)],
      optionalSourceServerIDs: [serverId(3)],
      sourceServerTags: { Role: 'app' },
      taggedSourceServerIDs: [serverId(4)],
      timeoutMinutes: 30,
      preWaveActions: [action(60)],
      postWaveActions: [action(120)],
      targetMinutes: 0,
      status: 'NOT_STARTED',
    });
  });

  it('writes no optional field a wave does not have', () => {
    expect(Object.keys(newWaveRecords('e', plan)[0] ?? {}).sort()).toEqual(
      [
        'executionId',
        'index',
        'name',
        'dependsOn',
        'dependencies',
        'sourceServerIDs',
        'timeoutMinutes',
        'status',
      ].sort(),
    );
  });
});

/** A table whose BatchWriteItem leaves the first `unprocessedFor` answers' last item unprocessed. */
function batchTable(unprocessedFor: number) {
  const batches: string[][] = [];
  const written: string[] = [];
  const db = {
    send: async (command: { input: { RequestItems: Record<string, { PutRequest: { Item: WaveRecord } }[]> } }) => {
      const requests = command.input.RequestItems.t ?? [];
      batches.push(requests.map((r) => r.PutRequest.Item.name));
      if (requests.length > 25)
        throw Object.assign(new Error('Too many items requested'), { name: 'ValidationException' });
      const left = batches.length <= unprocessedFor ? requests.slice(-1) : [];
      written.push(...requests.slice(0, requests.length - left.length).map((r) => r.PutRequest.Item.name));
      return left.length ? { UnprocessedItems: { t: left } } : {};
    },
  };
  return { table: { db: db as never, tableName: 't' }, batches, written };
}

const wavesNamed = (count: number): WaveRecord[] =>
  Array.from({ length: count }, (_, index) => ({
    executionId: 'e',
    index,
    name: `w${index}`,
    sourceServerIDs: [serverId(index)],
    timeoutMinutes: 60,
    status: 'NOT_STARTED' as const,
  }));

describe('writing a new execution’s waves', () => {
  afterEach(() => jest.useRealTimers());

  it('writes 30 waves in batches of at most 25 (DynamoDB refuses more)', async () => {
    const { table, batches, written } = batchTable(0);
    await putWaves(table, 'e', wavesNamed(30));
    expect(batches.map((b) => b.length)).toEqual([25, 5]);
    expect(written).toEqual(wavesNamed(30).map((w) => w.name));
  });

  it('writes again the waves DynamoDB left unprocessed, until every wave is written', async () => {
    jest.useFakeTimers();
    const { table, batches, written } = batchTable(9);
    const done = putWaves(table, 'e', wavesNamed(2));
    await jest.runAllTimersAsync();
    await done;
    // Nine answers leave w1 unprocessed; the tenth writes it.
    expect(batches).toEqual([['w0', 'w1'], ...Array.from({ length: 9 }, () => ['w1'])]);
    expect(written).toEqual(['w0', 'w1']);
  });

  it('fails, naming how many are left, when DynamoDB leaves waves unprocessed ten times', async () => {
    jest.useFakeTimers();
    const { table, batches } = batchTable(1000);
    const done = putWaves(table, 'e', wavesNamed(2));
    const outcome = expect(done).rejects.toThrow('DynamoDB left 1 wave records unwritten');
    await jest.runAllTimersAsync();
    await outcome;
    expect(batches).toHaveLength(10);
  });
});

/** A table of wave items that counts its reads. */
function specTable(items: Map<string, Record<string, unknown>>) {
  let reads = 0;
  const db = {
    send: async (command: { input: { Key: { sk: string } } }) => {
      reads++;
      const item = items.get(command.input.Key.sk);
      return item ? { Item: item } : {};
    },
  };
  return { table: { db: db as never, tableName: 't' }, reads: () => reads };
}

describe('the wave specs kept in memory', () => {
  const spec = (name: string) => ({ name, sourceServerIDs: [serverId(1)], timeoutMinutes: 60, dependencies: [] });
  const allWaves = (count: number) =>
    new Map(Array.from({ length: count }, (_, i) => [`WAVE#${String(i).padStart(4, '0')}`, spec(`w${i}`)]));

  it('reads a wave spec once, then answers from memory', async () => {
    const { table, reads } = specTable(allWaves(2));
    const specs = new WaveSpecs(table);
    expect((await specs.get('e', 0)).name).toBe('w0');
    expect((await specs.get('e', 1)).name).toBe('w1');
    expect((await specs.get('e', 0)).name).toBe('w0');
    expect((await specs.get('e', 1)).name).toBe('w1');
    expect(reads()).toBe(2);
  });

  it('keeps at most 1000 specs, forgetting the oldest first', async () => {
    const { table, reads } = specTable(allWaves(1001));
    const specs = new WaveSpecs(table);
    for (let i = 0; i < 1001; i++) await specs.get('e', i);
    await specs.get('e', 1000);
    await specs.get('e', 1);
    expect(reads()).toBe(1001);
    await specs.get('e', 0);
    expect(reads()).toBe(1002);
  });

  it('names the wave it finds no record of', async () => {
    const specs = new WaveSpecs(specTable(new Map()).table);
    await expect(specs.get('e', 4)).rejects.toMatchObject({
      name: 'RecordsInconsistent',
      message: expect.stringContaining('no record of wave 4 of execution e'),
    });
  });
});

describe('ending a wave item', () => {
  it('lets a fault that is not its condition through, unchanged (the workflow retries it)', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' });
    const reads: unknown[] = [];
    const db = {
      send: async (command: { constructor: { name: string } }) => {
        if (command.constructor.name === 'UpdateCommand') throw throttled;
        reads.push(command);
        return {
          Item: {
            executionId: 'e',
            index: 0,
            name: 'db',
            sourceServerIDs: [],
            timeoutMinutes: 60,
            status: 'LAUNCHING',
          },
        };
      },
    };
    const end = { status: 'FAILED' as const, failedServers: [], reason: 'x', endedAt: T1 };
    await expect(endWaveItem({ db: db as never, tableName: 't' }, 'e', 0, end)).rejects.toBe(throttled);
    expect(reads).toEqual([]);
  });
});
