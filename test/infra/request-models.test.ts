import { z } from 'zod';
import { approvalDecisionBody } from '../../functions/api/approvals';
import { startRecoveryBody } from '../../functions/api/request';
import { PLAN_LIMITS, planSchema } from '../../functions/shared/plan-rules';
import { requestModelOf } from '../../infra/constructs/request-models';

describe('requestModelOf', () => {
  const plan = requestModelOf(planSchema.meta({ title: 'Plan' }));

  it('returns a draft-04 JSON Schema with the title from the schema metadata', () => {
    expect(plan).toMatchObject({ $schema: 'http://json-schema.org/draft-04/schema#', title: 'Plan', type: 'object' });
  });

  it("returns the plan schema's required fields, field types and upper bounds, from PLAN_LIMITS", () => {
    expect(plan).toEqual({
      $schema: 'http://json-schema.org/draft-04/schema#',
      title: 'Plan',
      type: 'object',
      required: ['planId', 'waves'],
      properties: {
        planId: { type: 'string' },
        name: { type: 'string', maxLength: PLAN_LIMITS.maxNameLength },
        description: { type: 'string', maxLength: 1024 },
        pollIntervalSeconds: { type: 'integer' },
        rtoMinutes: { type: 'integer' },
        rpoMinutes: { type: 'integer' },
        drillCleanupAfterMinutes: { type: 'integer' },
        waves: { type: 'array', maxItems: PLAN_LIMITS.maxWaves, items: { type: 'object' } },
        onWaveFailure: { type: 'string', enum: ['STOP', 'CONTINUE'] },
        maxConcurrentWaves: { type: 'integer' },
        maxConcurrentJobs: { type: 'integer' },
        maxServersInAllJobs: { type: 'integer' },
      },
    });
  });

  it('leaves to the handler what it answers better: patterns, ranges, lower bounds, unknown fields', () => {
    const text = JSON.stringify(plan);
    for (const keyword of [
      'pattern',
      'minimum',
      'maximum',
      'minLength',
      'minItems',
      'additionalProperties',
      'default',
    ]) {
      expect({ keyword, present: text.includes(`"${keyword}"`) }).toEqual({ keyword, present: false });
    }
  });

  it('follows a change of the zod schema', () => {
    const model = requestModelOf(z.strictObject({ tags: z.array(z.string()).min(1).max(7) }));
    expect(model.properties).toEqual({ tags: { type: 'array', maxItems: 7, items: { type: 'string' } } });
  });

  it('returns the recovery body with its confirmation, not required (the handler names it missing)', () => {
    expect(requestModelOf(startRecoveryBody)).toEqual({
      $schema: 'http://json-schema.org/draft-04/schema#',
      type: 'object',
      properties: { confirm: { type: 'boolean' } },
    });
  });

  it("returns the approval decision body from its zod schema: the decision required, the comment's upper bound", () => {
    expect(requestModelOf(approvalDecisionBody)).toEqual({
      $schema: 'http://json-schema.org/draft-04/schema#',
      type: 'object',
      required: ['decision'],
      properties: {
        decision: { type: 'string', enum: ['APPROVE', 'REJECT'] },
        comment: { type: 'string', maxLength: 1024 },
      },
    });
  });
});
