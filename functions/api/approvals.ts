import type { APIGatewayProxyEvent } from 'aws-lambda';
import { z } from 'zod';
import { sfnDecisionDelivery } from '../shared/approval-delivery';
import { ApprovalTargetNotFound, DecisionNotDelivered, GateNotAwaiting } from '../shared/approval-errors';
import { APPROVAL_DECISIONS } from '../shared/records/approval-record';
import { problemsOf, shown } from '../shared/zod-problems';
import type { ApiDeps, Operation } from './api';
import { badRequest, conflict, json, notFound, pathParameter } from './http';
import { executionIdInPath } from './path-ids';
import { callerOf, requireJsonBody } from './request';

/** The decision route's body (the API Gateway request model is generated from it). */
export const approvalDecisionBody = z.strictObject(
  {
    decision: z.enum(APPROVAL_DECISIONS, {
      error: (issue) =>
        issue.input === undefined
          ? 'decision is missing: send "APPROVE" or "REJECT"'
          : `decision must be "APPROVE" or "REJECT" (got ${shown(issue.input)})`,
    }),
    comment: z
      .string({ error: (issue) => `comment must be a string (got ${shown(issue.input)})` })
      .max(1024, { error: 'comment is longer than 1024 characters' })
      .optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unexpected field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => `'${k}'`).join(', ')}: the body has decision and comment`
        : `the body must be the JSON object { "decision": "APPROVE" | "REJECT", "comment": "..." } (got ${shown(issue.input)})`,
  },
);

/**
 * POST /executions/{executionId}/waves/{waveIndex}/approval: a decision on a wave's gate, taken
 * once and delivered to the waiting workflow (`records/approval-decision.ts`), by the caller's IAM
 * principal. 404 for an unknown execution or wave, 409 when the wave is not awaiting approval (or
 * the gate closed before the decision reached it: nothing was decided), 400 for a bad body.
 */
export function approvalOperations(deps: ApiDeps): Record<string, Operation> {
  const delivery = sfnDecisionDelivery(deps.sfn);
  return {
    async decideApproval(event: APIGatewayProxyEvent) {
      const executionId = executionIdInPath(event);
      const rawIndex = pathParameter(event, 'waveIndex');
      const waveIndex = /^\d{1,3}$/.test(rawIndex) ? Number(rawIndex) : Number.NaN;
      if (Number.isNaN(waveIndex)) {
        throw notFound(`no wave ${shown(rawIndex)}: a wave index is a whole number from 0 (the first wave)`);
      }
      const parsed = approvalDecisionBody.safeParse(requireJsonBody(event, '{ "decision": "APPROVE" | "REJECT" }'));
      if (!parsed.success) throw badRequest(problemsOf(parsed.error));
      try {
        const approval = await deps.executions.decideApproval(delivery, {
          executionId,
          waveIndex,
          decision: parsed.data.decision,
          by: callerOf(event) ?? 'unknown caller',
          ...(parsed.data.comment ? { comment: parsed.data.comment } : {}),
          at: deps.clock.now(),
        });
        return json(200, { executionId, waveIndex, approval });
      } catch (error) {
        if (error instanceof ApprovalTargetNotFound) throw notFound(error.message);
        if (error instanceof GateNotAwaiting || error instanceof DecisionNotDelivered) throw conflict(error.message);
        throw error;
      }
    },
  };
}
