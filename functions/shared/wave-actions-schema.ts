import { z } from 'zod';
import { shown } from './zod-problems';

/**
 * A wave's own steps before and after its DRS job: an operator's Lambda function, invoked once
 * with the execution, the wave and (after the wave) its recovered instances. The plan rules import
 * this schema (`plan-rules.ts`); the workflow runs the actions (`functions/wave-actions/`).
 */
export const WAVE_ACTION_LIMITS = {
  /** Each action costs a few Lambda calls and history events: a runbook step, not a batch job. */
  maxActionsPerPhase: 10,
  maxNameLength: 80,
  /** A Lambda function runs for at most 900 s: a longer wait could only end in a timeout. */
  timeoutSeconds: { min: 1, max: 900 },
} as const;

export const WAVE_ACTION_PHASES = ['PRE', 'POST'] as const;
export type WaveActionPhase = (typeof WAVE_ACTION_PHASES)[number];

/**
 * A Lambda function ARN, optionally qualified by a version or an alias: what Step Functions'
 * `lambda:invoke` takes as FunctionName. Partition, region and account are explicit, so the grant
 * check (`wave-action-grant.ts`) compares whole ARNs.
 */
export const LAMBDA_FUNCTION_ARN =
  /^arn:aws[a-z-]*:lambda:[a-z]{2}(-[a-z]+)+-\d:\d{12}:function:[A-Za-z0-9_-]{1,64}(:(\$LATEST|[A-Za-z0-9_-]{1,128}))?$/;
const LAMBDA_FUNCTION_ARN_RULE = "'arn:aws:lambda:<region>:<account>:function:<name>' (a version or alias may follow)";

// Printable names only: they reach the records, the console, the CLI's lines and error causes.
const ACTION_NAME = /^[\p{L}\p{N} ._:/=+@()&,'-]+$/u;

const wrongType = (expected: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `is missing: it must be ${expected}` : `must be ${expected} (got ${shown(issue.input)})`;

export const waveActionSchema = z.strictObject(
  {
    name: z
      .string({ error: wrongType('a string') })
      .min(1, { error: 'the action name must not be empty' })
      .max(WAVE_ACTION_LIMITS.maxNameLength, {
        error: (issue) =>
          `the action name is longer than ${WAVE_ACTION_LIMITS.maxNameLength} characters (got ${shown(issue.input)})`,
      })
      .regex(ACTION_NAME, {
        error: (issue) =>
          `the action name ${shown(issue.input)} has characters other than letters, digits, spaces and . _ : / = + @ ( ) & , ' -`,
      }),
    lambdaFunctionArn: z.string({ error: wrongType('a Lambda function ARN') }).regex(LAMBDA_FUNCTION_ARN, {
      error: (issue) => `${shown(issue.input, 120)} is not a Lambda function ARN (${LAMBDA_FUNCTION_ARN_RULE})`,
    }),
    timeoutSeconds: z
      .number({ error: wrongType('a number of seconds') })
      .int({ error: (issue) => `timeoutSeconds must be a whole number (got ${shown(issue.input)})` })
      .min(WAVE_ACTION_LIMITS.timeoutSeconds.min, {
        error: (issue) =>
          `timeoutSeconds must be between ${WAVE_ACTION_LIMITS.timeoutSeconds.min} and ${WAVE_ACTION_LIMITS.timeoutSeconds.max} (got ${shown(issue.input)})`,
      })
      .max(WAVE_ACTION_LIMITS.timeoutSeconds.max, {
        error: (issue) =>
          `timeoutSeconds must be between ${WAVE_ACTION_LIMITS.timeoutSeconds.min} and ${WAVE_ACTION_LIMITS.timeoutSeconds.max}: a Lambda function runs for at most 900 s (got ${shown(issue.input)})`,
      }),
    /** A failure is recorded and warned about, and the wave goes on. */
    continueOnFailure: z.boolean({ error: wrongType('true or false') }).optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unexpected field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => `'${k}'`).join(', ')}: an action has name, lambdaFunctionArn, timeoutSeconds and continueOnFailure`
        : wrongType('an action object { "name", "lambdaFunctionArn", "timeoutSeconds" }')(issue),
  },
);

export type WaveAction = z.output<typeof waveActionSchema>;

/** One phase's actions: run in order, each name once in the wave's phase. */
export const waveActionListSchema = z
  .array(waveActionSchema, { error: wrongType('a list of actions') })
  .max(WAVE_ACTION_LIMITS.maxActionsPerPhase, {
    error: (issue) =>
      `the wave has ${(issue.input as unknown[]).length} actions here, more than ${WAVE_ACTION_LIMITS.maxActionsPerPhase}: combine steps into fewer functions`,
  })
  .superRefine((actions, ctx) => {
    const seen = new Map<string, number>();
    actions.forEach((action, i) => {
      const earlier = seen.get(action.name);
      if (earlier !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'name'],
          message: `'${action.name}' is also the name of action [${earlier}]: give each action of a wave its own name`,
        });
      } else seen.set(action.name, i);
    });
  });

/** The wave's action fields, spread into the plan's wave schema. */
export const waveActionFields = {
  preWaveActions: waveActionListSchema.optional(),
  postWaveActions: waveActionListSchema.optional(),
};

/**
 * An action's name is unique across its wave's two phases too: the scenario's `waveActions`, the
 * records and the progress lines name an action by its name alone.
 */
export function crossPhaseProblems(wave: unknown, where: string): string[] {
  const { preWaveActions, postWaveActions } = (wave ?? {}) as Record<string, unknown>;
  if (!Array.isArray(preWaveActions) || !Array.isArray(postWaveActions)) return [];
  const pre = new Set(preWaveActions.map((a) => (a as { name?: unknown } | null)?.name));
  return postWaveActions.flatMap((action, i) => {
    const name = (action as { name?: unknown } | null)?.name;
    return typeof name === 'string' && pre.has(name)
      ? [
          `${where}.postWaveActions[${i}].name: '${name}' is also the name of a pre-wave action: give each action of a wave its own name`,
        ]
      : [];
  });
}
