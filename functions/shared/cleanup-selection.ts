/**
 * Which recovery instances a drill's cleanup may terminate: the one rule that stands between the
 * cleanup and a production instance, pure so it can be tested case by case.
 *
 * An instance is terminated only if DRS says it was launched by one of this execution's own jobs
 * (the DRS RecoveryInstance's `jobID` is one of the job IDs the execution recorded) AND that it is
 * a drill instance (`isDrill` is true), and only for a DRILL execution. Never an instance of a
 * RECOVERY, never one another job launched, even for the same source server; never one DRS no
 * longer shows running (already terminated, or unknown to EC2).
 */

/** The fields of a DRS RecoveryInstance (DescribeRecoveryInstances) the rule reads. */
export interface RecoveryInstanceFacts {
  recoveryInstanceID?: string;
  ec2InstanceID?: string;
  ec2InstanceState?: string;
  jobID?: string;
  isDrill?: boolean;
  sourceServerID?: string;
}

export interface SelectionInput {
  executionType: string;
  /** The execution's own DRS job IDs, as its records hold them (each wave's job). */
  jobIds: readonly string[];
  /** What DRS listed for the execution's source servers. */
  instances: readonly RecoveryInstanceFacts[];
}

/** An instance left alone, and why (shown to the operator, never hidden). */
export interface KeptInstance {
  recoveryInstanceID: string;
  sourceServerID?: string;
  why: 'NOT_THIS_EXECUTION' | 'NOT_A_DRILL_INSTANCE' | 'ALREADY_TERMINATED' | 'BEING_TERMINATED';
}

export interface Selection {
  /** The instances to terminate, in DRS's order, each once. */
  terminate: string[];
  kept: KeptInstance[];
}

/** EC2 states of an instance that is gone: nothing left to terminate. */
const GONE = new Set(['TERMINATED', 'NOT_FOUND']);
/** An instance already shutting down: some TERMINATE job (perhaps this cleanup's, after a lost answer) has it. */
const GOING = new Set(['SHUTTING-DOWN']);

export function selectDrillInstances(input: SelectionInput): Selection {
  if (input.executionType !== 'DRILL') return { terminate: [], kept: [] };
  const ownJobs = new Set(input.jobIds);
  const terminate: string[] = [];
  const kept: KeptInstance[] = [];
  const seen = new Set<string>();
  for (const instance of input.instances) {
    const id = instance.recoveryInstanceID;
    if (!id || seen.has(id)) continue;
    seen.add(id);
    const keep = (why: KeptInstance['why']) =>
      kept.push({
        recoveryInstanceID: id,
        ...(instance.sourceServerID ? { sourceServerID: instance.sourceServerID } : {}),
        why,
      });
    // Fail closed: a missing jobID or isDrill is not this drill's instance.
    if (!instance.jobID || !ownJobs.has(instance.jobID)) keep('NOT_THIS_EXECUTION');
    else if (instance.isDrill !== true) keep('NOT_A_DRILL_INSTANCE');
    else if (GONE.has(instance.ec2InstanceState ?? '')) keep('ALREADY_TERMINATED');
    else if (GOING.has(instance.ec2InstanceState ?? '')) keep('BEING_TERMINATED');
    else terminate.push(id);
  }
  return { terminate, kept };
}

const WHY: Record<KeptInstance['why'], string> = {
  NOT_THIS_EXECUTION: 'launched by another job',
  NOT_A_DRILL_INSTANCE: 'not a drill instance',
  ALREADY_TERMINATED: 'already terminated',
  BEING_TERMINATED: 'already being terminated',
};

/** One sentence for the record: what is terminated, and what is left alone by reason. */
export function selectionNote(selection: Selection): string {
  const counts = new Map<KeptInstance['why'], string[]>();
  for (const k of selection.kept) counts.set(k.why, [...(counts.get(k.why) ?? []), k.recoveryInstanceID]);
  const left = [...counts].map(([why, ids]) => `${ids.length} ${WHY[why]} (${ids.join(', ')})`);
  return `${selection.terminate.length} instance(s) of this drill selected for termination${left.length ? `; left alone: ${left.join('; ')}` : ''}`;
}
