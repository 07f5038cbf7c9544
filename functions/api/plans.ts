import type { APIGatewayProxyEvent } from 'aws-lambda';
import { InvalidPlan } from '../shared/errors';
import { PLAN_ID, PLAN_ID_RULE } from '../shared/ids';
import { validatePlan } from '../shared/plan-rules';
import { PlanAlreadyExists, type PlanInput, PlanTooLarge } from '../shared/plan-store';
import { shown } from '../shared/zod-problems';
import type { ApiDeps, Operation } from './api';
import { badRequest, conflict, HttpError, json, notFound, pathParameter } from './http';
import { findLiveExecution } from './live-execution';
import { oversizedLists } from './oversized';
import { decodePageToken, encodePageToken, rejectedCursor } from './pagination';
import { planIdInPath } from './path-ids';
import { listPlansQuery, readQuery, requireJsonBody } from './request';

const PLAN_BODY = 'a plan { "planId", "name"?, "description"?, "pollIntervalSeconds"?, "waves": [...] }';
const PLANS_QUERY = 'plans';

/**
 * The plan rules on a request body, plus the description the plan rules leave out (it is kept
 * with the stored plan but never sent to the workflow). `extraProblems` joins the same 400.
 */
function planFromBody(body: unknown, extraProblems: string[] = []): PlanInput {
  const oversized = oversizedLists(body);
  if (oversized.length > 0) throw badRequest([...oversized, ...extraProblems], 'The plan');
  let plan: PlanInput | undefined;
  let problems = extraProblems;
  try {
    plan = validatePlan(body);
  } catch (error) {
    if (!(error instanceof InvalidPlan)) throw error;
    // concat, not unshift(...): a spread of a very long list overflows the call stack.
    problems = error.problems.concat(extraProblems);
  }
  if (problems.length > 0 || !plan) throw badRequest(problems, 'The plan');
  const description = (body as { description?: unknown }).description;
  return typeof description === 'string' ? { ...plan, description } : plan;
}

const tooLarge = (error: PlanTooLarge) => new HttpError(400, error.message, [error.message]);

/** The plan routes: create, replace, read, list, delete. */
export function planOperations(deps: ApiDeps): Record<string, Operation> {
  return {
    async createPlan(event: APIGatewayProxyEvent) {
      const plan = planFromBody(requireJsonBody(event, PLAN_BODY));
      try {
        return json(201, await deps.plans.create(plan, deps.clock.now()));
      } catch (error) {
        if (error instanceof PlanAlreadyExists) throw conflict(error.message);
        if (error instanceof PlanTooLarge) throw tooLarge(error);
        throw error;
      }
    },

    async putPlan(event: APIGatewayProxyEvent) {
      const planId = pathParameter(event, 'planId');
      const body = requireJsonBody(event, PLAN_BODY);
      const bodyPlanId = (body as { planId?: unknown } | null)?.planId;
      // PUT creates: a path ID that is not a plan ID is the caller's mistake (400), not an unknown plan.
      const mismatch = !PLAN_ID.test(planId)
        ? [`planId: ${shown(planId)} in the path is not a plan ID (${PLAN_ID_RULE})`]
        : typeof bodyPlanId === 'string' && bodyPlanId !== planId
          ? [
              `planId: ${shown(bodyPlanId)} in the body differs from ${shown(planId)} in the path: they must be the same (a plan cannot be renamed; create the new one and delete the old)`,
            ]
          : [];
      const plan = planFromBody(body, mismatch);
      try {
        const { plan: stored, created } = await deps.plans.put(plan, deps.clock.now());
        return json(created ? 201 : 200, stored);
      } catch (error) {
        if (error instanceof PlanTooLarge) throw tooLarge(error);
        throw error;
      }
    },

    async getPlan(event: APIGatewayProxyEvent) {
      const planId = planIdInPath(event);
      const plan = await deps.plans.get(planId);
      if (!plan) throw notFound(`no plan with planId '${planId}'`);
      return json(200, plan);
    },

    async listPlans(event: APIGatewayProxyEvent) {
      const query = readQuery(event, listPlansQuery);
      const token = query.nextToken === undefined ? undefined : decodePageToken(PLANS_QUERY, query.nextToken);
      if (token && !token.ok) throw badRequest([token.problem]);
      const page = await deps.plans
        .list({ limit: query.limit, ...(token?.ok ? { cursor: token.cursor } : {}) })
        .catch(rejectedCursor(token));
      return json(200, {
        items: page.items,
        ...(page.nextCursor ? { nextToken: encodePageToken(PLANS_QUERY, page.nextCursor) } : {}),
      });
    },

    async deletePlan(event: APIGatewayProxyEvent) {
      const planId = planIdInPath(event);
      if (!(await deps.plans.get(planId))) throw notFound(`no plan with planId '${planId}'`);
      const live = await findLiveExecution(deps.executions, planId);
      if (live) {
        throw conflict(
          `plan '${planId}' has a live execution, ${live.executionId} (${live.status}): cancel it with POST /executions/${live.executionId}/cancel or wait for it to end, then delete the plan`,
        );
      }
      if (!(await deps.plans.delete(planId))) throw notFound(`no plan with planId '${planId}'`);
      return json(204);
    },
  };
}
