import { z } from 'zod';
import { approvalGateSchema } from './approval-gate';
import { drillCleanupAfterMinutesSchema } from './cleanup-plan-rules';
import { InvalidPlan } from './errors';
import { historyProblemsOf } from './history-rule';
import { PLAN_ID, PLAN_ID_RULE, SOURCE_SERVER_ID, SOURCE_SERVER_ID_RULE } from './ids';
import { STEP_FUNCTIONS_LIMITS } from './step-functions-limits';
import { planTargetsShape, waveTargetShape } from './targets';
import { EXECUTION_TYPES, type ExecutionType, type Plan } from './types';
import { crossPhaseProblems, waveActionFields } from './wave-actions-schema';
import { planSchedulingFields, waveDependencyFields, waveGraphProblems } from './wave-graph';
import { problemsOf, shown } from './zod-problems';

/**
 * The plan rules. They run before anything is recorded or launched, and every problem in a
 * plan is named in one message, so an operator fixes the plan in one pass, not one error per run.
 */
export const PLAN_LIMITS = {
  maxWaves: 100,
  /** DRS default quota of source servers in a single job (one wave is one job). */
  maxServersPerWave: 100,
  /** AWS tags: at most 50 on a resource, keys of 1-128 characters, values of 0-256. */
  maxTagsPerWave: 50,
  maxTagKeyLength: 128,
  maxTagValueLength: 256,
  pollIntervalSeconds: { min: 5, max: 3600, default: 30 },
  timeoutMinutes: { min: 1, max: 1440, default: 60 },
  maxNameLength: 128,
  /**
   * Step Functions takes at most 256 KiB as a state's input or output, and an inline plan travels
   * in the state until the first task has run. Room is left for what the workflow adds to it: the
   * first task's execution ID and ARN, and on a failure the error and its cause (Step Functions keeps
   * up to 32,768 characters of a cause; a Lambda error's cause repeats its message in the trace).
   */
  maxPlanBytes: STEP_FUNCTIONS_LIMITS.payloadBytes - 65_536,
} as const;

// Names reach logs, DRS tags, error causes and the console: printable characters only.
const DISPLAY_NAME = /^[\p{L}\p{N} ._:/=+@()&,'-]+$/u;

/** The message for a value of the wrong type, or for a field left out. */
const wrongType = (expected: string) => (issue: { input?: unknown }) =>
  issue.input === undefined ? `is missing: it must be ${expected}` : `must be ${expected} (got ${shown(issue.input)})`;

const displayName = (what: string) =>
  z
    .string({ error: wrongType('a string') })
    .min(1, { error: `${what} must not be empty` })
    .max(PLAN_LIMITS.maxNameLength, {
      error: (issue) => `${what} is longer than ${PLAN_LIMITS.maxNameLength} characters (got ${shown(issue.input)})`,
    })
    .regex(DISPLAY_NAME, {
      error: (issue) =>
        `${what} ${shown(issue.input)} has characters other than letters, digits, spaces and . _ : / = + @ ( ) & , ' -`,
    });

const integerIn = (what: string, range: { min: number; max: number; default: number }) =>
  z
    .number({ error: wrongType('a number') })
    .int({ error: (issue) => `${what} must be a whole number (got ${shown(issue.input)})` })
    .min(range.min, {
      error: (issue) => `${what} must be between ${range.min} and ${range.max} (got ${shown(issue.input)})`,
    })
    .max(range.max, {
      error: (issue) => `${what} must be between ${range.min} and ${range.max} (got ${shown(issue.input)})`,
    })
    .default(range.default);

const sourceServerId = z
  .string({ error: (issue) => `must be a source server ID string (got ${shown(issue.input)})` })
  .regex(SOURCE_SERVER_ID, {
    error: (issue) => `${shown(issue.input)} is not a DRS source server ID (${SOURCE_SERVER_ID_RULE})`,
  });

const serverIdList = (what: string) =>
  z.array(sourceServerId, { error: wrongType(`a list of ${what}`) }).max(PLAN_LIMITS.maxServersPerWave, {
    error: (issue) =>
      `the wave has ${(issue.input as unknown[]).length} servers, more than the ${PLAN_LIMITS.maxServersPerWave} DRS allows in one recovery job: split it into several waves`,
  });

/** DRS tags as AWS allows them: keys of 1-128 characters, values of 0-256, at most 50 on a resource. */
const sourceServerTags = z
  .record(
    z.string().min(1).max(PLAN_LIMITS.maxTagKeyLength),
    z
      .string({ error: (issue) => `a tag value must be a string (got ${shown(issue.input)})` })
      .max(PLAN_LIMITS.maxTagValueLength, {
        error: (issue) =>
          `the tag value ${shown(issue.input)} is longer than ${PLAN_LIMITS.maxTagValueLength} characters`,
      }),
    {
      // A key the key schema refused comes back as one issue of the record: say what was wrong with it.
      error: (issue) =>
        issue.code === 'invalid_key'
          ? typeof issue.input === 'string' && (issue.input as string).length > 0
            ? `the tag key ${shown(issue.input)} is longer than ${PLAN_LIMITS.maxTagKeyLength} characters`
            : 'a tag key must not be empty'
          : wrongType('an object of tag keys and values, e.g. { "App": "shop" }')(issue),
    },
  )
  .superRefine((tags, ctx) => {
    const count = Object.keys(tags).length;
    if (count === 0) {
      ctx.addIssue({ code: 'custom', message: 'names no tag: give at least one, or leave sourceServerTags out' });
    } else if (count > PLAN_LIMITS.maxTagsPerWave) {
      ctx.addIssue({
        code: 'custom',
        message: `names ${count} tags, more than the ${PLAN_LIMITS.maxTagsPerWave} a DRS source server can carry`,
      });
    }
  });

const waveSchema = z.strictObject(
  {
    name: displayName('the wave name'),
    // May be left out when the wave selects its servers by tag (crossWaveProblems: a wave needs a member).
    sourceServerIDs: serverIdList('source server IDs').default([]),
    sourceServerTags: sourceServerTags.optional(),
    optionalSourceServerIDs: serverIdList('optional source server IDs').optional(),
    timeoutMinutes: integerIn('timeoutMinutes', PLAN_LIMITS.timeoutMinutes),
    // The gate before the wave starts (approval-gate.ts).
    approval: approvalGateSchema.optional(),
    ...waveActionFields,
    ...waveTargetShape,
    // The waves it needs COMPLETED first (wave-graph.ts).
    ...waveDependencyFields,
  },
  { error: (issue) => unexpectedOrWrongType(issue, 'a wave') },
);

export const planSchema = z.strictObject(
  {
    planId: z.string({ error: wrongType('a string') }).regex(PLAN_ID, {
      error: (issue) => `${shown(issue.input)} is not a valid plan ID (${PLAN_ID_RULE})`,
    }),
    name: displayName('the plan name').optional(),
    description: z.string().max(1024).optional(),
    pollIntervalSeconds: integerIn('pollIntervalSeconds', PLAN_LIMITS.pollIntervalSeconds),
    ...planTargetsShape,
    drillCleanupAfterMinutes: drillCleanupAfterMinutesSchema,
    waves: z
      .array(waveSchema, { error: wrongType('a list of waves') })
      .min(1, { error: 'the plan has no waves: add at least one wave' })
      .max(PLAN_LIMITS.maxWaves, { error: `the plan has more than ${PLAN_LIMITS.maxWaves} waves` }),
    ...planSchedulingFields,
  },
  { error: (issue) => unexpectedOrWrongType(issue, 'a plan') },
);

const inputSchema = z.strictObject(
  {
    plan: planSchema,
    executionType: z.enum(EXECUTION_TYPES, { error: wrongType('DRILL or RECOVERY') }),
    // Who started it (the API's signed caller, a local drill's user): recorded for the report.
    startedBy: z
      .string({ error: wrongType('a string') })
      .max(2048)
      .optional(),
  },
  { error: (issue) => unexpectedOrWrongType(issue, 'the execution input ({ "plan": {...}, "executionType": ... })') },
);

function unexpectedOrWrongType(issue: z.core.$ZodRawIssue, what: string): string {
  if (issue.code === 'unrecognized_keys') {
    return `unexpected field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => `'${k}'`).join(', ')}: remove ${issue.keys.length === 1 ? 'it' : 'them'}`;
  }
  if (issue.input === undefined) return `is missing: it must be ${what}`;
  return `must be ${what} object (got ${shown(issue.input)})`;
}

/**
 * Rules across waves that a per-field schema cannot see. They read the raw input defensively so
 * they still run when other fields are wrong: one message names every problem.
 */
function crossWaveProblems(rawPlan: unknown, prefix: string): string[] {
  const waves = (rawPlan as { waves?: unknown } | null)?.waves;
  if (!Array.isArray(waves)) return [];
  const problems: string[] = [];
  const firstWaveOf = new Map<string, number>();
  const waveNames = new Map<string, number>();
  const nameOf = (w: number) => {
    const name = (waves[w] as { name?: unknown } | null)?.name;
    return typeof name === 'string' ? `'${name}'` : `#${w + 1}`;
  };
  waves.forEach((wave: unknown, w) => {
    const { name, sourceServerIDs, optionalSourceServerIDs, sourceServerTags } = (wave ?? {}) as Record<
      string,
      unknown
    >;
    if (typeof name === 'string') {
      const previous = waveNames.get(name);
      if (previous !== undefined) {
        problems.push(
          `${prefix}waves[${w}].name: '${name}' is also the name of waves[${previous}]: give each wave its own name`,
        );
      } else waveNames.set(name, w);
    }
    problems.push(...crossPhaseProblems(wave, `${prefix}waves[${w}]`));
    const listed = Array.isArray(sourceServerIDs) ? sourceServerIDs : [];
    const optional = Array.isArray(optionalSourceServerIDs) ? optionalSourceServerIDs : [];
    // A wave needs a required member: optional servers alone could never make it COMPLETED.
    const noIDs = sourceServerIDs === undefined || (Array.isArray(sourceServerIDs) && sourceServerIDs.length === 0);
    if (noIDs && sourceServerTags === undefined) {
      problems.push(
        `${prefix}waves[${w}].sourceServerIDs: the wave has no servers: list at least one source server ID in wave ${nameOf(w)}, or select its servers with sourceServerTags${optional.length > 0 ? ' (optional servers alone can never make a wave COMPLETED)' : ''}`,
      );
    }
    const max = PLAN_LIMITS.maxServersPerWave;
    // Each list over the limit is named by the schema; together they may pass it too.
    if (listed.length + optional.length > max && listed.length <= max && optional.length <= max) {
      problems.push(
        `${prefix}waves[${w}]: the wave lists ${listed.length + optional.length} servers (${listed.length} required, ${optional.length} optional), more than the ${PLAN_LIMITS.maxServersPerWave} DRS allows in one recovery job: split it into several waves`,
      );
    }
    const seenInWave = new Set<string>();
    for (const [field, ids] of [
      ['sourceServerIDs', listed],
      ['optionalSourceServerIDs', optional],
    ] as const) {
      for (const id of ids) {
        if (typeof id !== 'string') continue;
        if (seenInWave.has(id)) {
          problems.push(`${prefix}waves[${w}].${field}: ${shown(id)} is listed twice in wave ${nameOf(w)}`);
          continue;
        }
        seenInWave.add(id);
        const earlier = firstWaveOf.get(id);
        if (earlier !== undefined) {
          problems.push(
            `${prefix}waves[${w}].${field}: ${shown(id)} is in wave ${nameOf(earlier)} (waves[${earlier}]) and in wave ${nameOf(w)} (waves[${w}]): a server belongs to one wave`,
          );
        } else firstWaveOf.set(id, w);
      }
    }
  });
  return problems;
}

function withName(plan: z.infer<typeof planSchema>): Plan {
  const { description: _description, ...rest } = plan;
  return { ...rest, name: plan.name ?? plan.planId };
}

/** The history budget (`history-rule.ts`), on the plan read defensively as the cross-wave rules read it. */
function historyProblems(rawPlan: unknown, prefix: string): string[] {
  const schedule = z
    .object({
      pollIntervalSeconds: planSchema.shape.pollIntervalSeconds,
      maxConcurrentWaves: z.unknown().optional(),
      maxConcurrentJobs: z.unknown().optional(),
      maxServersInAllJobs: z.unknown().optional(),
      waves: z
        .array(
          z.object({
            name: z.unknown().optional(),
            timeoutMinutes: waveSchema.shape.timeoutMinutes,
            dependsOn: z.unknown().optional(),
            sourceServerIDs: z.unknown().optional(),
            optionalSourceServerIDs: z.unknown().optional(),
            sourceServerTags: z.unknown().optional(),
            preWaveActions: z.array(z.unknown()).optional(),
            postWaveActions: z.array(z.unknown()).optional(),
            approval: z.unknown().optional(),
          }),
        )
        .min(1)
        .max(PLAN_LIMITS.maxWaves),
    })
    .safeParse(rawPlan);
  return schedule.success ? historyProblemsOf(schedule.data, prefix) : [];
}

function sizeProblems(rawPlan: unknown, prefix: string): string[] {
  const bytes = Buffer.byteLength(JSON.stringify(rawPlan) ?? '', 'utf8');
  if (bytes <= PLAN_LIMITS.maxPlanBytes) return [];
  return [
    `${prefix || 'plan'}: the plan is ${bytes} bytes of JSON, more than the ${PLAN_LIMITS.maxPlanBytes} a Step Functions execution input holds with room for what the workflow adds: split it into several plans`,
  ];
}

/** Validates a plan on its own (the CLI's plan file, the API's stored plan). Throws InvalidPlan naming every problem. */
export function validatePlan(input: unknown): Plan {
  const parsed = planSchema.safeParse(input);
  const problems = [
    ...sizeProblems(input, ''),
    ...(parsed.success ? [] : problemsOf(parsed.error)),
    ...crossWaveProblems(input, ''),
    ...waveGraphProblems(input, ''),
    ...historyProblems(input, ''),
  ];
  if (!parsed.success || problems.length > 0) throw new InvalidPlan(problems);
  return withName(parsed.data);
}

type ExecutionInput = { plan: Plan; executionType: ExecutionType; startedBy?: string };

/** Validates the workflow's input `{ plan, executionType }`. Throws InvalidPlan naming every problem. */
export function validateExecutionInput(input: unknown): ExecutionInput {
  const parsed = inputSchema.safeParse(input);
  const rawPlan = (input as { plan?: unknown } | null)?.plan;
  const problems = [
    ...sizeProblems(rawPlan, 'plan'),
    ...(parsed.success ? [] : problemsOf(parsed.error)),
    ...crossWaveProblems(rawPlan, 'plan.'),
    ...waveGraphProblems(rawPlan, 'plan.'),
    ...historyProblems(rawPlan, 'plan'),
  ];
  if (!parsed.success || problems.length > 0) throw new InvalidPlan(problems);
  const { plan, executionType, startedBy } = parsed.data;
  return { plan: withName(plan), executionType, ...(startedBy ? { startedBy } : {}) };
}
