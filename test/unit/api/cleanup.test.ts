import type { CleanupWorkflowInput, CleanupWorkflows } from '../../../functions/shared/cleanup-schedule';
import type { ExecutionStore } from '../../../functions/shared/execution-store';
import type { Plan } from '../../../functions/shared/types';
import { parsed, request, startApiHarness } from './harness';

const PLAN: Plan = {
  planId: 'p1',
  name: 'P1',
  pollIntervalSeconds: 30,
  drillCleanupAfterMinutes: 120,
  waves: [{ name: 'W', sourceServerIDs: ['s-00000000000000001'], timeoutMinutes: 30 }],
};
const START = new Date('2026-01-01T00:00:00Z');
const cleanupRequest = (executionId: string) =>
  request('POST', '/executions/{executionId}/cleanup', { pathParameters: { executionId } });

/** The cleanup workflow's starts and stops, kept. */
function recordingWorkflows() {
  const started: { name: string; input: CleanupWorkflowInput }[] = [];
  const stopped: string[] = [];
  const workflows: CleanupWorkflows = {
    start: async (name, input) => {
      started.push({ name, input });
      return `arn:aws:states:us-east-1:111122223333:execution:cleanup:${name}`;
    },
    stop: async (arn) => {
      stopped.push(arn);
    },
  };
  return { workflows, started, stopped };
}

describe('POST /executions/{executionId}/cleanup', () => {
  const harness = startApiHarness();
  afterAll(async () => (await harness).stop());

  async function setUp() {
    const runs = recordingWorkflows();
    const { api, executions, clock } = await (await harness).fresh({ cleanupWorkflows: runs.workflows });
    return { api, executions, clock, ...runs };
  }
  async function ended(executions: ExecutionStore, executionId: string, type: 'DRILL' | 'RECOVERY') {
    await executions.createExecution({ executionId, plan: PLAN, executionType: type, startedAt: START });
    await executions.failExecution({ executionId, status: 'FAILED', error: 'WaveFailed', cause: 'x', endedAt: START });
  }

  it('starts a cleanup of an ended drill at once (202), claimed, and stops its scheduled run', async () => {
    const { api, executions, started, stopped } = await setUp();
    await ended(executions, 'drill-1', 'DRILL');
    const record = await executions.getExecution('drill-1');
    if (record) await executions.cleanups.schedule(record);
    await executions.cleanups.recordScheduledRun('drill-1', 'arn:scheduled-run');

    const { statusCode, body } = parsed(await api(cleanupRequest('drill-1')));

    expect(statusCode).toBe(202);
    expect(body).toMatchObject({
      executionId: 'drill-1',
      started: true,
      cleanup: { status: 'RUNNING', scheduledFor: '2026-01-01T02:00:00.000Z', terminatedInstanceIDs: [], failed: [] },
    });
    expect(stopped).toEqual(['arn:scheduled-run']);
    expect(started).toEqual([
      {
        name: expect.stringMatching(/^cleanup-[0-9a-f]{24}-on-demand-/),
        input: expect.objectContaining({ executionId: 'drill-1', claimedBy: 'ON_DEMAND' }),
      },
    ]);
    expect(started[0]?.input.scheduledFor).toBeUndefined();
  });

  it('answers a second request with 200 and nothing to do, starting nothing', async () => {
    const { api, executions, started } = await setUp();
    await ended(executions, 'drill-2', 'DRILL');
    await api(cleanupRequest('drill-2'));
    const { statusCode, body } = parsed(await api(cleanupRequest('drill-2')));

    expect(statusCode).toBe(200);
    expect(body).toMatchObject({
      started: false,
      message: expect.stringMatching(/^nothing to do: the cleanup is already RUNNING/),
    });
    expect(started).toHaveLength(1);
  });

  it('refuses a RECOVERY with 409, naming why, and starts nothing', async () => {
    const { api, executions, started } = await setUp();
    await ended(executions, 'recovery-1', 'RECOVERY');
    const { statusCode, body } = parsed(await api(cleanupRequest('recovery-1')));

    expect(statusCode).toBe(409);
    expect(body.message).toMatch(/is a RECOVERY: only a DRILL's recovery instances are ever terminated/);
    expect(started).toEqual([]);
  });

  it('refuses a drill still running with 409, and an unknown execution with 404', async () => {
    const { api, executions } = await setUp();
    await executions.createExecution({ executionId: 'live-1', plan: PLAN, executionType: 'DRILL', startedAt: START });

    expect(parsed(await api(cleanupRequest('live-1')))).toMatchObject({
      statusCode: 409,
      body: { message: expect.stringMatching(/is still PENDING/) },
    });
    expect(parsed(await api(cleanupRequest('nope'))).statusCode).toBe(404);
  });

  it('shows every execution’s cleanup in GET /executions/{executionId}', async () => {
    const { api, executions } = await setUp();
    await ended(executions, 'recovery-2', 'RECOVERY');
    const { body } = parsed(
      await api(request('GET', '/executions/{executionId}', { pathParameters: { executionId: 'recovery-2' } })),
    );
    expect(body.cleanup).toEqual({
      status: 'NOT_APPLICABLE',
      scheduledFor: null,
      terminatedInstanceIDs: [],
      failed: [],
    });
  });
});
