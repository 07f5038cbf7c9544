import { drillCleanupAfterMinutesOf } from '../../../functions/shared/cleanup-plan-rules';
import type { InvalidPlan } from '../../../functions/shared/errors';
import { validateExecutionInput, validatePlan } from '../../../functions/shared/plan-rules';

const plan = (extra: Record<string, unknown> = {}) => ({
  planId: 'p',
  waves: [{ name: 'W', sourceServerIDs: ['s-00000000000000001'] }],
  ...extra,
});
const problemsOf = (input: unknown): string[] => {
  try {
    validatePlan(input);
    return [];
  } catch (error) {
    return (error as InvalidPlan).problems;
  }
};

describe('the plan field drillCleanupAfterMinutes', () => {
  it('defaults to 120 minutes, applied where the execution records its cleanup (the plan reads back as written)', () => {
    expect(validatePlan(plan()).drillCleanupAfterMinutes).toBeUndefined();
    expect(drillCleanupAfterMinutesOf(validatePlan(plan()))).toBe(120);
    expect(drillCleanupAfterMinutesOf(validatePlan(plan({ drillCleanupAfterMinutes: 0 })))).toBe(0);
  });

  it('accepts 0 (clean up on demand only) and whole minutes up to 30 days', () => {
    expect(validatePlan(plan({ drillCleanupAfterMinutes: 0 })).drillCleanupAfterMinutes).toBe(0);
    expect(validatePlan(plan({ drillCleanupAfterMinutes: 43_200 })).drillCleanupAfterMinutes).toBe(43_200);
  });

  it.each([
    [-1, 'drillCleanupAfterMinutes: drillCleanupAfterMinutes must be between 0 and 43200 minutes (got -1)'],
    [43_201, 'drillCleanupAfterMinutes: drillCleanupAfterMinutes must be between 0 and 43200 minutes (got 43201)'],
    [1.5, 'drillCleanupAfterMinutes: drillCleanupAfterMinutes must be a whole number of minutes (got 1.5)'],
    ['120', 'drillCleanupAfterMinutes: must be a number of minutes (got "120")'],
  ])('refuses %p, saying what is wrong', (value, problem) => {
    expect(problemsOf(plan({ drillCleanupAfterMinutes: value }))).toEqual([expect.stringContaining(problem)]);
  });

  it('is named with the other problems of an execution input', () => {
    expect(() =>
      validateExecutionInput({
        plan: plan({ drillCleanupAfterMinutes: -5, pollIntervalSeconds: 1 }),
        executionType: 'DRILL',
      }),
    ).toThrow(
      /plan\.pollIntervalSeconds.*plan\.drillCleanupAfterMinutes|plan\.drillCleanupAfterMinutes.*plan\.pollIntervalSeconds/,
    );
  });
});
