import {
  executionKey,
  indexKeys,
  isExecutionItem,
  isWaveItem,
  listingPartition,
  planLockKey,
  waveKey,
} from '../../../../functions/shared/records/keys';

describe('records keys', () => {
  it('puts an execution and its waves in one partition, the waves in index order', () => {
    const keys = [executionKey('e-1'), ...[0, 1, 9, 10, 99].map((index) => waveKey('e-1', index))];
    expect(new Set(keys.map((key) => key.pk)).size).toBe(1);
    const waveSortKeys = keys.slice(1).map((key) => key.sk);
    expect([...waveSortKeys].sort()).toEqual(waveSortKeys);
  });

  it('tells an execution item from a wave item by its sort key', () => {
    expect(isExecutionItem(executionKey('e-1'))).toBe(true);
    expect(isWaveItem(executionKey('e-1'))).toBe(false);
    expect(isWaveItem(waveKey('e-1', 0))).toBe(true);
    expect(isExecutionItem(waveKey('e-1', 0))).toBe(false);
  });

  it("keeps a plan's lock out of every execution's partition", () => {
    expect(planLockKey('e-1').pk).not.toBe(executionKey('e-1').pk);
    expect(isExecutionItem(planLockKey('p')) || isWaveItem(planLockKey('p'))).toBe(false);
  });

  it('indexes an execution under its plan and under all executions, newest first by start time', () => {
    const older = indexKeys({ executionId: 'b', planId: 'p', startedAt: '2026-01-01T00:00:00.000Z' });
    const newer = indexKeys({ executionId: 'a', planId: 'p', startedAt: '2026-02-01T00:00:00.000Z' });
    expect(older.gsi1pk).toBe(listingPartition('p'));
    expect(older.gsi2pk).toBe(listingPartition());
    expect(older.gsi1sk < newer.gsi1sk && older.gsi2sk < newer.gsi2sk).toBe(true);
  });
});
