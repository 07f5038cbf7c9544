import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { RequiredActionsRecords } from '../../../../functions/shared/records/required-actions';
import type { RecordsTable } from '../../../../functions/shared/records/table';
import type { RequiredActions } from '../../../../functions/shared/types';
import { serverId, threeWavePlan, useExecutionStore } from '../../../support/store';

const T0 = new Date('2026-01-01T00:00:00Z');
const HEALTH = '0b1f5e1c-7d2a-4c3e-9f10-2a3b4c5d6e7f';
const BACKUP = '5c4d3e2f-1a0b-4c9d-8e7f-6a5b4c3d2e1f';
const FIRST: RequiredActions = { [serverId(1)]: [{ actionId: HEALTH, name: 'Health' }], [serverId(2)]: [] };
const SECOND: RequiredActions = { [serverId(1)]: [], [serverId(2)]: [{ actionId: BACKUP, name: 'Backup' }] };

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' });

describe('required post-launch actions in the records', () => {
  const world = useExecutionStore('required-actions', T0);
  // A fresh reader each time: what another container (with nothing in memory) would see.
  const records = (table: Partial<RecordsTable> = {}) =>
    new RequiredActionsRecords({ db: world.local.db, tableName: 'executions', ...table });
  /** The table's client, counting the reads and failing the writes with `fault` when given one. */
  const watched = (fault?: () => Error) => {
    const sent: string[] = [];
    const db = {
      send: (command: object) => {
        sent.push(command.constructor.name);
        if (fault && command instanceof UpdateCommand) return Promise.reject(fault());
        return world.local.db.send(command as GetCommand);
      },
    } as unknown as RecordsTable['db'];
    return { db, reads: () => sent.filter((name) => name === GetCommand.name).length };
  };

  it('reads nothing for a wave whose actions were not yet read from DRS', async () => {
    const executionId = await world.execution(threeWavePlan());
    expect(await records().get(executionId, 0)).toBeUndefined();
  });

  it("records a wave's list once: every later reader, in any container, judges against it", async () => {
    const executionId = await world.execution(threeWavePlan());

    expect(await records().record(executionId, 0, FIRST)).toEqual(FIRST);

    expect(await records().get(executionId, 0)).toEqual(FIRST);
    expect((await world.store.getWave(executionId, 0)).requiredActions).toEqual(FIRST);
    // Another wave of the same execution has its own list.
    expect(await records().get(executionId, 1)).toBeUndefined();
  });

  it('keeps the list recorded first when a later attempt read another one from DRS, and returns it', async () => {
    const executionId = await world.execution(threeWavePlan());
    await records().record(executionId, 0, FIRST);

    // A retried check (another container) read DRS again after an action was removed there.
    expect(await records().record(executionId, 0, SECOND)).toEqual(FIRST);

    expect(await records().get(executionId, 0)).toEqual(FIRST);
  });

  it('records nothing for a wave the execution does not have, and creates no item for it', async () => {
    const executionId = await world.execution(threeWavePlan());

    await expect(records().record(executionId, 3, FIRST)).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });
    await expect(records().record('never-recorded', 0, FIRST)).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
    });

    expect(await records().get(executionId, 3)).toBeUndefined();
    expect(await records().get('never-recorded', 0)).toBeUndefined();
  });

  it('surfaces a DynamoDB fault on the write for the Retry, never reading it as an earlier list', async () => {
    const executionId = await world.execution(threeWavePlan());
    await records().record(executionId, 0, FIRST);

    const faulty = watched(throttled);
    await expect(records({ db: faulty.db }).record(executionId, 0, SECOND)).rejects.toMatchObject({
      name: 'ProvisionedThroughputExceededException',
    });
    expect(faulty.reads()).toBe(0);
  });

  it('reads a recorded list from the table once, then from memory (it never changes)', async () => {
    const executionId = await world.execution(threeWavePlan());
    await records().record(executionId, 0, FIRST);
    const counted = watched();
    const reader = records({ db: counted.db });

    expect(await reader.get(executionId, 0)).toEqual(FIRST);
    expect(await reader.get(executionId, 0)).toEqual(FIRST);
    expect(counted.reads()).toBe(1);

    // The attempt that recorded its list reads it from memory too.
    const other = await world.execution(threeWavePlan());
    const writing = watched();
    const recorder = records({ db: writing.db });
    await recorder.record(other, 1, SECOND);
    expect(await recorder.get(other, 1)).toEqual(SECOND);
    expect(writing.reads()).toBe(0);
  });

  it('keeps every wave it read in memory, not only the last one', async () => {
    const executionId = await world.execution(threeWavePlan());
    await records().record(executionId, 0, FIRST);
    await records().record(executionId, 1, SECOND);
    const counted = watched();
    const reader = records({ db: counted.db });

    for (const round of [1, 2]) {
      expect(await reader.get(executionId, 0)).toEqual(FIRST);
      expect(await reader.get(executionId, 1)).toEqual(SECOND);
      expect({ round, reads: counted.reads() }).toEqual({ round, reads: 2 });
    }
  });
});
