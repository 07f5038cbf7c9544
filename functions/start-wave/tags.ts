/**
 * The tags every recovery job carries, so a job found in the DRS console (or by a later retry)
 * names the execution, plan and wave that started it. DRS tag values allow letters, digits,
 * spaces and `+ - = . _ : / @` up to 256 characters; anything else is replaced. Execution names
 * may hold more (`drill(1)`, from the console or the API): every comparison with a job's tags goes
 * through `isWaveJob`, which compares the values as they were written.
 */
export const TAG_PREFIX = 'drs-orchestrator:';

const tagValue = (value: string) => value.replace(/[^\p{L}\p{N} +\-=._:/@]/gu, '_').slice(0, 256);

export function recoveryTags(args: { executionId: string; planId: string; waveIndex: number; waveName: string }) {
  return {
    [`${TAG_PREFIX}execution-id`]: tagValue(args.executionId),
    [`${TAG_PREFIX}plan-id`]: tagValue(args.planId),
    [`${TAG_PREFIX}wave`]: String(args.waveIndex + 1),
    [`${TAG_PREFIX}wave-name`]: tagValue(args.waveName),
  };
}

/** The tags that say whose a job is: the execution, its plan and the wave (the wave's name may change). */
const IDENTITY_TAGS = [`${TAG_PREFIX}execution-id`, `${TAG_PREFIX}plan-id`, `${TAG_PREFIX}wave`];

/**
 * Whether a job's tags are those `recoveryTags` wrote for this wave of this execution. Two
 * executions whose names differ only in characters a tag cannot hold are told apart by the plan:
 * the plan's lock keeps two executions of one plan from running at once.
 */
export function isWaveJob(
  tags: Record<string, string> | undefined,
  wave: { executionId: string; planId: string; waveIndex: number },
): boolean {
  const expected: Record<string, string> = recoveryTags({ ...wave, waveName: '' });
  return IDENTITY_TAGS.every((key) => tags?.[key] === expected[key]);
}
