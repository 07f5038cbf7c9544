import { handleExecutionEvent } from '../../../functions/execution-events/execution-events';
import type { ReportWriter } from '../../../functions/execution-events/execution-report';
import type { Notification } from '../../../functions/execution-events/notification';
import type { ExecutionStore } from '../../../functions/shared/execution-store';
import { SimulatedClock } from '../../../local/simulated-clock';
import { LocalStepFunctions } from '../../../local/step-functions';
import { startStore, threeWavePlan } from '../../support/store';

const STATE_MACHINE = 'arn:aws:states:us-east-1:111122223333:stateMachine:drs-orchestrator';
const T0 = new Date('2026-01-01T00:00:00Z');
const STOP = new Date('2026-01-01T00:05:00Z');
const input = { plan: { ...threeWavePlan(), rtoMinutes: 1 }, executionType: 'DRILL' };

/** The reports bucket as these tests have it: the objects written, by key. */
class MemoryReports implements ReportWriter {
  readonly objects = new Map<string, { body: string; contentType: string }>();
  failWith?: Error;
  async put(key: string, body: string, contentType: string) {
    if (this.failWith) throw this.failWith;
    this.objects.set(key, { body, contentType });
    return {
      uri: `s3://reports-bucket/${key}`,
      consoleUrl: `https://console.aws.amazon.com/s3/object/reports-bucket?prefix=${key}`,
    };
  }
}

describe('execution-events writes the report of every ending', () => {
  let local: Awaited<ReturnType<typeof startStore>>;
  let store: ExecutionStore;
  const stepFunctions = new LocalStepFunctions(STATE_MACHINE);

  beforeAll(async () => {
    local = await startStore();
    store = local.store;
  });
  afterAll(async () => local.stop());

  async function stopped(name: string, reports: MemoryReports): Promise<Notification[]> {
    await store.createExecution({ executionId: name, plan: input.plan, executionType: 'DRILL', startedAt: T0 });
    stepFunctions.started(name, input, T0);
    stepFunctions.ended(name, { status: 'ABORTED' }, STOP);
    const sent: Notification[] = [];
    const handle = handleExecutionEvent({
      store,
      sfn: stepFunctions,
      stateMachineArn: STATE_MACHINE,
      cleanupWorkflows: { start: async () => 'never', stop: async () => {} },
      notify: async (n) => {
        sent.push(n);
      },
      clock: new SimulatedClock(STOP),
      reports,
    });
    await handle({
      'detail-type': 'Step Functions Execution Status Change',
      detail: {
        executionArn: stepFunctions.executionArn(name),
        stateMachineArn: STATE_MACHINE,
        name,
        status: 'ABORTED',
        input: JSON.stringify(input),
        startDate: T0.getTime(),
        stopDate: STOP.getTime(),
      },
    });
    return sent;
  }

  it('writes the HTML page and its JSON facts for a stopped execution, and the notification links both', async () => {
    const reports = new MemoryReports();

    const sent = await stopped('stopped-1', reports);

    const html = reports.objects.get('reports/three-tier/stopped-1/report.html');
    const json = reports.objects.get('reports/three-tier/stopped-1/report.json');
    expect(html?.contentType).toBe('text/html; charset=utf-8');
    expect(html?.body).toContain('CANCELLED');
    expect(JSON.parse(json?.body ?? '{}')).toMatchObject({
      execution: { executionId: 'stopped-1', status: 'CANCELLED' },
    });
    const message = sent.at(-1)?.message ?? '';
    expect(message).toContain('Report: s3://reports-bucket/reports/three-tier/stopped-1/report.html');
    expect(message).toContain('Report facts (JSON): s3://reports-bucket/reports/three-tier/stopped-1/report.json');
    expect(message).toContain('! RTO target missed');
  });

  it('still notifies when the report cannot be written, saying so', async () => {
    const reports = new MemoryReports();
    reports.failWith = new Error('AccessDenied');

    const sent = await stopped('stopped-2', reports);

    expect(sent.at(-1)?.message).toContain('Report: not written (AccessDenied)');
    expect((await store.getExecution('stopped-2'))?.status).toBe('CANCELLED');
  });
});
