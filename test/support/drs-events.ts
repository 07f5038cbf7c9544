import { z } from 'zod';
import { JOB_ID, SOURCE_SERVER_ID } from '../../functions/shared/ids';

/**
 * The DRS EventBridge event "DRS Source Server Launch Result" as the DRS User Guide documents it
 * (test/fixtures/drs-model/events/drs-source-server-launch-result.json names the source). Issue 12
 * (waking a waiting wave early) consumes it; until then this is its checked contract. Strict on
 * what the orchestrator would read, open on the envelope fields EventBridge may add.
 */
const SOURCE_SERVER_ARN = new RegExp(
  `^arn:aws[a-z-]*:drs:[a-z0-9-]+:\\d{12}:source-server/${SOURCE_SERVER_ID.source.replace(/^\^|\$$/g, '')}$`,
);

export const sourceServerLaunchResultEvent = z.looseObject({
  version: z.literal('0'),
  id: z.string().min(1),
  'detail-type': z.literal('DRS Source Server Launch Result'),
  source: z.literal('aws.drs'),
  account: z.string().regex(/^\d{12}$/),
  time: z.iso.datetime(),
  region: z.string().min(1),
  resources: z.tuple([z.string().regex(SOURCE_SERVER_ARN)]),
  detail: z.strictObject({
    state: z.enum(['RECOVERY_LAUNCH_SUCCEEDED', 'RECOVERY_LAUNCH_FAILED']),
    'job-id': z.string().regex(JOB_ID),
    'is-drill': z.enum(['TRUE', 'FALSE']),
  }),
});
export type SourceServerLaunchResultEvent = z.infer<typeof sourceServerLaunchResultEvent>;
