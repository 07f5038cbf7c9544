/**
 * The tags every recovery job carries, so a job found in the DRS console (or by a later retry)
 * names the execution, plan and wave that started it. DRS tag values allow letters, digits,
 * spaces and `+ - = . _ : / @` up to 256 characters; anything else is replaced.
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
