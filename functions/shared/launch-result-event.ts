import { z } from 'zod';
import { OrchestratorError } from './errors';
import { JOB_ID, SOURCE_SERVER_ID } from './ids';
import { problemsOf } from './zod-problems';

/**
 * DRS's "DRS Source Server Launch Result" EventBridge event (source `aws.drs`), as the DRS user
 * guide documents it (`test/fixtures/drs-model/events/`): one per server of a launch job,
 * best effort. It only wakes a waiting wave; the verdict still comes from DescribeJobs.
 */
export const LAUNCH_RESULT_SOURCE = 'aws.drs';
export const LAUNCH_RESULT_DETAIL_TYPE = 'DRS Source Server Launch Result';
export const LAUNCH_RESULT_STATES = ['RECOVERY_LAUNCH_SUCCEEDED', 'RECOVERY_LAUNCH_FAILED'] as const;

/** A launch result as the records keep it. */
export type LaunchResult = 'LAUNCHED' | 'FAILED';

/** `arn:<partition>:drs:<region>:<account>:source-server/s-…`: the server is the ARN's last part. */
const SOURCE_SERVER_ARN = new RegExp(
  `^arn:aws[a-z-]*:drs:[a-z0-9-]+:\\d{12}:source-server/(${SOURCE_SERVER_ID.source.replace(/^\^|\$$/g, '')})$`,
);

/**
 * The documented shape (`test/fixtures/drs-model/events/drs-source-server-launch-result.json`
 * names the source): strict on what the orchestrator reads, open on the envelope fields
 * EventBridge may add.
 */
export const launchResultEventSchema = z.looseObject({
  version: z.literal('0'),
  id: z.string().min(1),
  'detail-type': z.literal(LAUNCH_RESULT_DETAIL_TYPE),
  source: z.literal(LAUNCH_RESULT_SOURCE),
  account: z.string().regex(/^\d{12}$/, { error: 'must be a 12-digit AWS account ID' }),
  time: z.iso.datetime(),
  region: z.string().min(1),
  resources: z.tuple([z.string().regex(SOURCE_SERVER_ARN, { error: 'must be the source server ARN' })]),
  detail: z.strictObject({
    state: z.enum(LAUNCH_RESULT_STATES),
    'job-id': z.string().regex(JOB_ID, { error: "must be a DRS job ID ('drsjob-' followed by 17 letters or digits)" }),
    'is-drill': z.enum(['TRUE', 'FALSE']),
  }),
});

export type LaunchResultEvent = z.output<typeof launchResultEventSchema>;

/** What the wave needs of an event: which server of which job, and how its launch ended. */
export interface LaunchResultNotice {
  jobId: string;
  sourceServerID: string;
  result: LaunchResult;
  /** When DRS says the result happened (the event's `time`). */
  time: string;
}

/** The launch-events function received an event that is not a DRS launch result; nothing was recorded. */
export class MalformedLaunchEvent extends OrchestratorError {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      `The event is not a DRS Source Server Launch Result (${problems.length} problem${problems.length === 1 ? '' : 's'}): ${problems.join('; ')}`,
    );
    this.name = 'MalformedLaunchEvent';
    this.problems = problems;
  }
}

/** Parses the event at the boundary; throws MalformedLaunchEvent naming every problem. */
export function parseLaunchResult(event: unknown): LaunchResultNotice {
  const parsed = launchResultEventSchema.safeParse(event);
  if (!parsed.success) throw new MalformedLaunchEvent(problemsOf(parsed.error));
  const [arn] = parsed.data.resources;
  return {
    jobId: parsed.data.detail['job-id'],
    sourceServerID: SOURCE_SERVER_ARN.exec(arn)?.[1] as string,
    result: parsed.data.detail.state === 'RECOVERY_LAUNCH_SUCCEEDED' ? 'LAUNCHED' : 'FAILED',
    time: parsed.data.time,
  };
}

/** The event DRS sends for one server's launch result (the local simulator emits these). */
export function launchResultEvent(args: {
  jobId: string;
  sourceServerID: string;
  result: LaunchResult;
  isDrill: boolean;
  at: Date;
  region: string;
  account: string;
  id: string;
}): LaunchResultEvent {
  return {
    version: '0',
    id: args.id,
    'detail-type': LAUNCH_RESULT_DETAIL_TYPE,
    source: LAUNCH_RESULT_SOURCE,
    account: args.account,
    time: args.at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: args.region,
    resources: [`arn:aws:drs:${args.region}:${args.account}:source-server/${args.sourceServerID}`],
    detail: {
      state: args.result === 'LAUNCHED' ? 'RECOVERY_LAUNCH_SUCCEEDED' : 'RECOVERY_LAUNCH_FAILED',
      'job-id': args.jobId,
      'is-drill': args.isDrill ? 'TRUE' : 'FALSE',
    },
  };
}
