import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { RecordsInconsistent, WaveNotStartable } from '../errors';
import type { ServerStatus } from '../types';
import type { WaveActionPhase } from '../wave-actions-schema';
import { whyNotStartable } from './claim-refusal';
import { getExecution } from './execution-records';
import { waveKey } from './keys';
import { isConditionFailure, type RecordsTable } from './table';
import { type ActionRun, type LaunchVerdict, runKey } from './wave-action-fields';
import { claimOf, endUnlaunchedOnExecution } from './wave-claims';
import { dependenciesOfSpec, getWave, type WaveRecord } from './wave-records';

/** Which action of which wave. */
export interface ActionRef {
  executionId: string;
  index: number;
  phase: WaveActionPhase;
  /** The action's place in its phase's list. */
  position: number;
  name: string;
}

/**
 * What an attempt to start an action found: `started` (this call recorded it: invoke it now), or
 * the run an earlier attempt recorded (never invoke it again: its outcome is either recorded or
 * unknown).
 */
export type BeginOutcome = { started: true; run: ActionRun } | { started: false; run: ActionRun };

/** The wave status an action of each phase runs in: before the claim, or launched and held for its actions. */
const PHASE_STATUS: Record<WaveActionPhase, string> = { PRE: 'NOT_STARTED', POST: 'LAUNCHING' };

/**
 * The wave items' action records. The rule they keep: an action is invoked at most once. Its start
 * is a conditional write (`attribute_not_exists` on its run) made before the invoke, and a later
 * attempt that finds the run never invokes it again; its end is written once (the first end
 * stands). A pre-wave action starts only while its wave could be claimed (the execution live, the
 * wave not claimed, every wave it depends on COMPLETED: the claim's own conditions but room, read
 * strongly consistent), a
 * post-wave action only while its wave is held LAUNCHING with every server LAUNCHED.
 */
export class WaveActionRecords {
  constructor(private readonly table: RecordsTable) {}

  async begin(ref: ActionRef, at: Date): Promise<BeginOutcome> {
    if (ref.phase === 'PRE') await this.assertClaimable(ref);
    const key = runKey(ref.phase, ref.position);
    const run: ActionRun = { name: ref.name, phase: ref.phase, startedAt: at.toISOString() };
    const status = PHASE_STATUS[ref.phase];
    const held = ref.phase === 'POST' ? ' AND attribute_exists(launchVerdict)' : '';
    try {
      // The map must exist before a key of it can be set (DynamoDB refuses a path under a missing attribute).
      await this.update(ref, 'SET actionRuns = if_not_exists(actionRuns, :empty)', `#status = :status${held}`, {
        ':empty': {},
        ':status': status,
      });
      await this.update(
        ref,
        'SET actionRuns.#key = :run',
        `#status = :status${held} AND attribute_not_exists(actionRuns.#key)`,
        { ':run': run, ':status': status },
        { '#key': key },
      );
      return { started: true, run };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const wave = await getWave(this.table, ref.executionId, ref.index);
      const earlier = wave.actionRuns?.[key];
      if (earlier) return { started: false, run: earlier };
      throw new WaveNotStartable(
        `${label(ref)} cannot start: wave ${ref.index + 1} is ${wave.status}${ref.phase === 'POST' && !wave.launchVerdict ? ' and not held for its post-wave actions' : ''}`,
        { cause: error },
      );
    }
  }

  /** The action's end, once: a repeated end leaves the first one standing and returns it. */
  async end(
    ref: ActionRef,
    outcome: { status: 'SUCCEEDED' | 'FAILED'; message: string },
    at: Date,
  ): Promise<ActionRun> {
    const key = runKey(ref.phase, ref.position);
    try {
      await this.update(
        ref,
        'SET actionRuns.#key.#runStatus = :runStatus, actionRuns.#key.message = :message, actionRuns.#key.endedAt = :endedAt',
        'attribute_exists(actionRuns.#key) AND attribute_not_exists(actionRuns.#key.#runStatus)',
        { ':runStatus': outcome.status, ':message': outcome.message, ':endedAt': at.toISOString() },
        { '#key': key, '#runStatus': 'status' },
      );
      const wave = await getWave(this.table, ref.executionId, ref.index);
      return wave.actionRuns?.[key] as ActionRun;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const wave = await getWave(this.table, ref.executionId, ref.index);
      const run = wave.actionRuns?.[key];
      if (run?.status) return run;
      throw new RecordsInconsistent(`${label(ref)} has no record of its start, so its end cannot be recorded`, {
        cause: error,
      });
    }
  }

  /** Actions that will not run because an earlier one of the wave failed: SKIPPED, unless they have a run already. */
  async skip(refs: readonly ActionRef[], reason: string, at: Date): Promise<void> {
    const first = refs[0];
    if (!first) return;
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':empty': {} };
    const sets = refs.map((ref, i) => {
      names[`#k${i}`] = runKey(ref.phase, ref.position);
      const skipped: ActionRun = { name: ref.name, phase: ref.phase, status: 'SKIPPED', message: reason };
      values[`:s${i}`] = { ...skipped, endedAt: at.toISOString() };
      return `actionRuns.#k${i} = if_not_exists(actionRuns.#k${i}, :s${i})`;
    });
    await this.update(first, 'SET actionRuns = if_not_exists(actionRuns, :empty)', undefined, { ':empty': {} });
    const { ':empty': _empty, ...skips } = values;
    await this.update(first, `SET ${sets.join(', ')}`, undefined, skips, names);
  }

  /**
   * A wave whose pre-wave action failed: NOT_STARTED → FAILED with nothing launched (no job). Its
   * claim on the execution item ends FAILED first (holding no room), as a wave that failed after its
   * launch does: the FAILED wave can never be claimed (and launched) afterwards, nor can a wave that
   * depends on it. Safe to repeat.
   */
  async failBeforeStart(executionId: string, index: number, reason: string, at: Date): Promise<void> {
    const ref = { executionId, index };
    try {
      await endUnlaunchedOnExecution(this.table, executionId, index, 'FAILED');
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const execution = await getExecution(this.table, executionId);
      const claim = execution && claimOf(execution, index);
      // Recorded by an earlier attempt; anything else (claimed, launched, ended otherwise) is not ours to fail.
      if (claim?.status !== 'FAILED') {
        throw new RecordsInconsistent(
          `wave ${index + 1} cannot be failed before its start: its claim on execution ${executionId} is ${claim?.status ?? 'absent'}`,
          { cause: error },
        );
      }
    }
    try {
      await this.update(
        ref,
        'SET #status = :failed, failedServers = :none, reason = :reason, endedAt = :endedAt',
        '#status = :notStarted',
        {
          ':failed': 'FAILED',
          ':none': [],
          ':reason': reason,
          ':endedAt': at.toISOString(),
          ':notStarted': 'NOT_STARTED',
        },
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const wave = await getWave(this.table, executionId, index);
      if (wave.status !== 'FAILED') {
        throw new RecordsInconsistent(`wave ${index + 1} is ${wave.status} in the records, cannot record it FAILED`, {
          cause: error,
        });
      }
    }
  }

  /**
   * Every required server LAUNCHED, but the wave has post-wave actions: its servers and launch
   * verdict are recorded and it stays LAUNCHING, uncounted, so no later wave can be claimed until the
   * actions end (then `completeWave` or `endWave`). Safe to repeat.
   */
  async holdLaunched(executionId: string, index: number, servers: ServerStatus[], verdict: LaunchVerdict) {
    await this.update(
      { executionId, index },
      'SET servers = :servers, lastPolledAt = :at, launchVerdict = if_not_exists(launchVerdict, :verdict)',
      '#status = :launching',
      { ':servers': servers, ':at': verdict.launchedAt, ':verdict': verdict, ':launching': 'LAUNCHING' },
    );
  }

  /** The wave as recorded, with its actions and runs. */
  wave(executionId: string, index: number): Promise<WaveRecord> {
    return getWave(this.table, executionId, index);
  }

  /** A pre-wave action runs only while its wave could be claimed: the claim's own conditions. */
  private async assertClaimable(ref: ActionRef): Promise<void> {
    const [execution, wave] = await Promise.all([
      getExecution(this.table, ref.executionId),
      getWave(this.table, ref.executionId, ref.index),
    ]);
    const why = whyNotStartable(ref.executionId, ref.index, execution, dependenciesOfSpec(wave, ref.index));
    if (why) throw new WaveNotStartable(`${label(ref)} cannot start: ${why}`);
  }

  private update(
    ref: { executionId: string; index: number },
    expression: string,
    condition: string | undefined,
    values: Record<string, unknown>,
    names: Record<string, string> = {},
  ) {
    const usesStatus = `${expression} ${condition ?? ''}`.includes('#status');
    const attributeNames = { ...names, ...(usesStatus ? { '#status': 'status' } : {}) };
    return this.table.db.send(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: waveKey(ref.executionId, ref.index),
        UpdateExpression: expression,
        ...(condition ? { ConditionExpression: condition } : {}),
        ...(Object.keys(attributeNames).length > 0 ? { ExpressionAttributeNames: attributeNames } : {}),
        ExpressionAttributeValues: values,
      }),
    );
  }
}

const label = (ref: ActionRef) =>
  `${ref.phase === 'PRE' ? 'pre' : 'post'}-wave action '${ref.name}' of wave ${ref.index + 1}`;
