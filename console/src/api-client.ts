import type { CheckReport } from '../../functions/api/check-plan';
import { API_ROUTES, type ApiRoute } from '../../functions/api/routes';
import type { ReportFacts } from '../../functions/shared/report/report-facts';
import type {
  DrillCleanup,
  ExecutionResult,
  ExecutionStatus,
  ExecutionType,
  Plan,
  ServerStatus,
  WaveResult,
} from '../../functions/shared/types';
import type { ConsoleConfig } from './config';

/**
 * The one module that talks to the REST API. Every call names its route by operationId, from the
 * same route list the API is built from (functions/api/routes.ts), so a route the API does not
 * have cannot be called, and `hasRoute` lets a page show a control only when its route exists.
 */

export type OperationId = (typeof API_ROUTES)[number]['operationId'];

/** A stored plan as the API answers it: the plan, and what the store adds. */
export type StoredPlan = Plan & { description?: string; createdAt?: string; updatedAt?: string };

/** A wave as the execution routes answer it (its `dependsOn`, gate's `approval`, `actions` and `targetMet` included). */
export type ExecutionWave = WaveResult & {
  servers?: (ServerStatus & { rawError?: string })[];
};

export type ExecutionDetail = Omit<ExecutionResult, 'waves'> & {
  executionArn: string;
  planName?: string;
  consoleUrl: string;
  waves: ExecutionWave[];
};

/** The cleanup route's answer: started (202) or nothing to do (200), in the API's words. */
export interface CleanupAnswer {
  executionId: string;
  started: boolean;
  message: string;
  cleanup: DrillCleanup;
}

export type ExecutionSummary = Pick<
  ExecutionResult,
  'executionId' | 'planId' | 'status' | 'startedAt' | 'endedAt' | 'error' | 'cause'
> & {
  executionArn: string;
  planName?: string;
  executionType: ExecutionType;
  waveCount: number;
  completedWaves: number;
  consoleUrl: string;
};

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export interface StartAnswer {
  executionId: string;
  executionArn: string;
  status: string;
  consoleUrl: string;
}

/** An answer other than 2xx: the API's `{ message, problems? }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problems: string[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Signs a request (on AWS); locally the identity function. */
export type RequestSigner = (request: {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}) => Promise<Record<string, string>>;

export function hasRoute(operationId: string): boolean {
  return API_ROUTES.some((route) => route.operationId === operationId);
}

function routeOf(operationId: OperationId): ApiRoute {
  const route = API_ROUTES.find((r) => r.operationId === operationId);
  if (!route) throw new Error(`the API has no operation ${operationId}`);
  return route;
}

export class ApiClient {
  constructor(
    private readonly config: ConsoleConfig,
    private readonly sign: RequestSigner = async ({ headers }) => headers,
  ) {}

  /** Calls a route: path parameters filled in, query parameters left out when undefined. */
  async call<T>(
    operationId: OperationId,
    options: {
      params?: Record<string, string>;
      query?: Record<string, string | undefined>;
      body?: unknown;
      headers?: Record<string, string>;
    } = {},
  ): Promise<T> {
    const route = routeOf(operationId);
    const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = options.params?.[name];
      if (value === undefined) throw new Error(`${operationId} needs ${name}`);
      return encodeURIComponent(value);
    });
    const base = new URL(this.config.apiUrl.replace(/\/?$/, '/'), window.location.href);
    const url = new URL(path.replace(/^\//, ''), base);
    for (const [name, value] of Object.entries(options.query ?? {}))
      if (value !== undefined) url.searchParams.set(name, value);
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers = await this.sign({
      method: route.method,
      url,
      headers: {
        accept: 'application/json',
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      ...(body ? { body } : {}),
    });
    const response = await fetch(url, { method: route.method, headers, ...(body ? { body } : {}) });
    const text = await response.text();
    // The HTML report (`?format=html`) is the one answer that is not JSON.
    if (response.ok && response.headers.get('content-type')?.startsWith('text/html')) return text as T;
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    if (!response.ok) {
      const error = (parsed ?? {}) as { message?: string; problems?: string[] };
      throw new ApiError(
        response.status,
        error.message ?? `${response.status} ${response.statusText}`,
        error.problems ?? [],
      );
    }
    return parsed as T;
  }

  listPlans(nextToken?: string) {
    return this.call<Page<StoredPlan>>('listPlans', { query: { limit: '100', nextToken } });
  }
  getPlan(planId: string) {
    return this.call<StoredPlan>('getPlan', { params: { planId } });
  }
  createPlan(plan: unknown) {
    return this.call<StoredPlan>('createPlan', { body: plan });
  }
  putPlan(planId: string, plan: unknown) {
    return this.call<StoredPlan>('putPlan', { params: { planId }, body: plan });
  }
  deletePlan(planId: string) {
    return this.call<void>('deletePlan', { params: { planId } });
  }
  /** The preflight alone (launches nothing); `scenario` names the simulator's world on the local stack. */
  check(planId: string, executionType: ExecutionType, scenario?: string) {
    const headers: Record<string, string> =
      scenario && this.config.mode === 'local' ? { 'x-local-scenario': scenario } : {};
    return this.call<CheckReport>('checkPlan', { params: { planId }, body: { executionType }, headers });
  }
  /** Starts a DRILL, or a RECOVERY confirmed by the typed plan name; `scenario` only on the local stack. */
  start(planId: string, type: ExecutionType, scenario?: string) {
    const headers: Record<string, string> =
      scenario && this.config.mode === 'local' ? { 'x-local-scenario': scenario } : {};
    return type === 'DRILL'
      ? this.call<StartAnswer>('startDrill', { params: { planId }, headers })
      : this.call<StartAnswer>('startRecovery', { params: { planId }, body: { confirm: true }, headers });
  }
  listExecutions(query: { planId?: string; status?: ExecutionStatus; nextToken?: string; limit?: number }) {
    return this.call<Page<ExecutionSummary>>('listExecutions', {
      query: {
        planId: query.planId,
        status: query.status,
        nextToken: query.nextToken,
        limit: String(query.limit ?? 50),
      },
    });
  }
  getExecution(executionId: string) {
    return this.call<ExecutionDetail>('getExecution', { params: { executionId } });
  }
  cancel(executionId: string) {
    return this.call<ExecutionDetail>('cancelExecution', { params: { executionId } });
  }
  /** A gate's decision: APPROVE or REJECT, with the operator's comment. */
  decideApproval(executionId: string, waveIndex: number, decision: 'APPROVE' | 'REJECT', comment?: string) {
    return this.call<{ executionId: string; waveIndex: number }>('decideApproval', {
      params: { executionId, waveIndex: String(waveIndex) },
      body: { decision, ...(comment ? { comment } : {}) },
    });
  }
  report(executionId: string) {
    return this.call<ReportFacts>('getExecutionReport', { params: { executionId } });
  }
  /** The self-contained HTML report (`?format=html`), fetched (and signed on AWS) like every call. */
  reportHtml(executionId: string) {
    return this.call<string>('getExecutionReport', {
      params: { executionId },
      query: { format: 'html' },
      headers: { accept: 'text/html' },
    });
  }
  cleanup(executionId: string) {
    return this.call<CleanupAnswer>('cleanupExecution', { params: { executionId } });
  }
}
