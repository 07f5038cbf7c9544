import { z } from 'zod';
import { APPROVAL_LIMITS } from '../functions/shared/approval-gate';
import { APPROVAL_DECISIONS } from '../functions/shared/records/approval-record';
import { shown } from '../functions/shared/zod-problems';

/**
 * A local drill's decisions at its approval gates, by wave name: who decides what, how long after
 * the gate opens (simulated seconds). A gate with no entry is asked on a terminal, approved at once
 * with `run --auto-approve`, or else left to its timeout.
 */
export const approvalEntrySchema = z.strictObject({
  decision: z.enum(APPROVAL_DECISIONS, {
    error: (issue) => `decision must be "APPROVE" or "REJECT" (got ${shown(issue.input)})`,
  }),
  afterSeconds: z
    .number({ error: (issue) => `afterSeconds must be a number of seconds (got ${shown(issue.input)})` })
    .min(0, { error: (issue) => `afterSeconds must not be negative (got ${shown(issue.input)})` })
    .max(APPROVAL_LIMITS.timeoutMinutes.max * 60 * 2, {
      error: (issue) => `afterSeconds is longer than any gate waits (got ${shown(issue.input)})`,
    })
    .default(0),
  by: z.string().min(1).max(256).default('scenario'),
  comment: z.string().max(1024).optional(),
});

export const approvalsScenarioSchema = z.record(z.string().min(1), approvalEntrySchema);

export type ApprovalEntry = z.output<typeof approvalEntrySchema>;

/**
 * Entries the plan would never use: a wave name the plan does not have (a typo turns an intended
 * REJECT into a timeout), or a wave with no approval gate.
 */
export function approvalProblemsAgainstPlan(approvals: Record<string, unknown> | undefined, plan: unknown): string[] {
  const waves = (plan as { waves?: unknown } | null)?.waves;
  const list = Array.isArray(waves) ? (waves as { name?: unknown; approval?: unknown }[]) : [];
  const problems: string[] = [];
  for (const name of Object.keys(approvals ?? {})) {
    const wave = list.find((w) => w?.name === name);
    if (!wave) {
      const names = list.map((w) => w?.name).filter((n): n is string => typeof n === 'string');
      problems.push(
        `approvals.${name}: the plan has no wave named ${shown(name)}, so this entry would never be used (its waves: ${names.map((n) => `'${n}'`).join(', ') || 'none'})`,
      );
    } else if (wave.approval === undefined) {
      problems.push(`approvals.${name}: wave '${name}' has no approval gate, so this entry would never be used`);
    }
  }
  return problems;
}
