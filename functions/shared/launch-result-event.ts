import { z } from 'zod';
import { OrchestratorError } from './errors';
import { JOB_ID, SOURCE_SERVER_ID } from './ids';
import { problemsOf } from './zod-problems';

/**
 * DRS's "DRS Source Server Launch Result" EventBridge event (source `aws.drs`), as the DRS user
 * guide documents it (the samples: `test/fixtures/drs-events/`): one per server of a launch job,
 * best effort. It only wakes a waiting wave; the verdict still comes from DescribeJobs.
 */
export const LAUNCH_RESULT_SOURCE = 'aws.drs';
export const LAUNCH_RESULT_DETAIL_TYPE = 'DRS Source Server Launch Result';
export const LAUNCH_RESULT_STATES = ['RECOVERY_LAUNCH_SUCCEEDED', 'RECOVERY_LAUNCH_FAILED'] as const;

/** A launch result as the records keep it. */
export type LaunchResult = 'LAUNCHED' | 'FAILED';

/** `arn:<partition>:drs:<region>:<account>:source-server/s-…`: the server is the ARN's last part. */
const SOURCE_SERVER_ARN = /^arn:[\w-]+:drs:[\w-]*:\d*:source-server\/(s-[0-9a-zA-Z]{17})$/;

const text = z.string({ error: (issue) => (issue.input === undefined ? 'is missing' : 'must be a string') });

export const launchResultEventSchema = z.object(
  {
    source: z.literal(LAUNCH_RESULT_SOURCE, { error: `must be "${LAUNCH_RESULT_SOURCE}"` }),
    'detail-type': z.literal(LAUNCH_RESULT_DETAIL_TYPE, { error: `must be "${LAUNCH_RESULT_DETAIL_TYPE}"` }),
    time: text,
    resources: z
      .array(text, { error: 'must be a list of ARNs' })
      .min(1, { error: "must name the source server's ARN" }),
    detail: z.object(
      {
        state: z.enum(LAUNCH_RESULT_STATES, { error: `must be one of ${LAUNCH_RESULT_STATES.join(', ')}` }),
        'job-id': text.regex(JOB_ID, { error: "must be a DRS job ID ('drsjob-' followed by 17 letters or digits)" }),
        'is-drill': z.enum(['TRUE', 'FALSE'], { error: 'must be "TRUE" or "FALSE"' }).optional(),
      },
      { error: (issue) => (issue.input === undefined ? 'is missing' : 'must be an object') },
    ),
  },
  { error: 'the event must be an object' },
);

export type LaunchResultEvent = z.input<typeof launchResultEventSchema>;

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
  const problems = parsed.success ? [] : problemsOf(parsed.error);
  const arn = parsed.success ? parsed.data.resources[0] : undefined;
  const server = arn === undefined ? undefined : SOURCE_SERVER_ARN.exec(arn)?.[1];
  if (parsed.success && !(server && SOURCE_SERVER_ID.test(server))) {
    problems.push(`resources[0]: must be a DRS source server ARN (…:source-server/s-…), got ${JSON.stringify(arn)}`);
  }
  if (!parsed.success || !server) throw new MalformedLaunchEvent(problems);
  return {
    jobId: parsed.data.detail['job-id'],
    sourceServerID: server,
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
  } as LaunchResultEvent;
}
