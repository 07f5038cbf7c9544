import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { WaveOutage } from '../types';
import { waveKey } from './keys';
import { isConditionFailure, type RecordsTable } from './table';
import { getWave, type WaveRecord } from './wave-records';

/** How many outages a wave keeps: the item stays small whatever DRS does (the oldest go first). */
export const MAX_WAVE_OUTAGES = 20;

/**
 * The DRS outages a launching wave lived through, on its item (`outages`): the last one is under
 * way while it has no `until`. Informational, not a safety invariant: a wave is checked by one
 * task at a time, so a read-modify-write is enough, and each write still requires the wave to be
 * LAUNCHING (an ended wave's record never changes).
 */
export class WaveOutages {
  constructor(private readonly table: RecordsTable) {}

  /** Counts a failed DRS read: a new outage, or one more attempt of the one under way. Returns the wave as written. */
  async failedRead(
    executionId: string,
    index: number,
    read: { operation: string; error: string; at: Date },
  ): Promise<{ wave: WaveRecord; outage: WaveOutage }> {
    const wave = await getWave(this.table, executionId, index);
    const outages = [...(wave.outages ?? [])];
    const at = read.at.toISOString();
    const current = outages.at(-1);
    const outage: WaveOutage =
      current && current.until === undefined
        ? { ...current, operation: read.operation, lastAt: at, attempts: current.attempts + 1, lastError: read.error }
        : { operation: read.operation, since: at, lastAt: at, attempts: 1, lastError: read.error };
    if (current && current.until === undefined) outages[outages.length - 1] = outage;
    else outages.push(outage);
    const kept = outages.slice(-MAX_WAVE_OUTAGES);
    await this.write(executionId, index, kept);
    return { wave: { ...wave, outages: kept }, outage };
  }

  /** DRS answered again: the outage under way, if any, ends now. Safe to repeat. */
  async answered(executionId: string, index: number, at: Date): Promise<void> {
    const wave = await getWave(this.table, executionId, index);
    const outages = [...(wave.outages ?? [])];
    const current = outages.at(-1);
    if (!current || current.until !== undefined) return;
    outages[outages.length - 1] = { ...current, until: at.toISOString() };
    try {
      await this.write(executionId, index, outages);
    } catch (error) {
      // The wave ended meanwhile (a stop): its record keeps what it had.
      if (!isConditionFailure(error)) throw error;
    }
  }

  private async write(executionId: string, index: number, outages: WaveOutage[]): Promise<void> {
    await this.table.db.send(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: waveKey(executionId, index),
        UpdateExpression: 'SET outages = :outages',
        ConditionExpression: '#status = :launching',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':launching': 'LAUNCHING', ':outages': outages },
      }),
    );
  }
}
