import { sfnDecisionDelivery } from '../../functions/shared/approval-delivery';
import type { ProgressEvent } from '../../functions/shared/progress-event';
import type { OpenGate } from '../../local/approvals';
import { parseScenario } from '../../local/drs-simulator';
import { type LocalRun, LocalStack } from '../../local/local-stack';
import { runLocalExecution } from '../../local/run-local-execution';

/**
 * Approval gates on the local stack: the deployed ASL (its `.waitForTaskToken` task emulated in
 * `local/task-tokens.ts`), the real gate task and decision module, dynalite and the DRS simulator.
 * What was launched is read from the simulator (its StartRecovery calls and jobs).
 */
const id = (tier: string, n: number) => `s-${tier}${String(n).padStart(17 - tier.length, '0')}`;
const DB = [id('db', 1)];
const APP = [id('app', 1), id('app', 2)];
const WEB = [id('web', 1)];

const PLAN = {
  planId: 'gated',
  name: 'Gated',
  pollIntervalSeconds: 30,
  waves: [
    { name: 'Databases', sourceServerIDs: DB, timeoutMinutes: 60 },
    {
      name: 'Application servers',
      sourceServerIDs: APP,
      timeoutMinutes: 60,
      approval: { timeoutMinutes: 240, message: 'Databases are up: confirm before the app tier' },
    },
    { name: 'Web front end', sourceServerIDs: WEB, timeoutMinutes: 30 },
  ],
};

const run = (scenario: Record<string, unknown>, extra: Partial<Parameters<typeof runLocalExecution>[0]> = {}) => {
  const events: ProgressEvent[] = [];
  return runLocalExecution({
    input: { plan: PLAN, executionType: 'DRILL' },
    scenario: parseScenario(scenario),
    onProgress: (event) => events.push(event),
    ...extra,
  }).then((r) => ({ ...r, events }));
};

/** The waves DRS was asked to start (the simulator's jobs, by the wave tag start-wave puts on them). */
const startedWaves = (r: LocalRun) =>
  r.jobs.map((job) => Number(job.tags?.['drs-orchestrator:wave'])).sort((a, b) => a - b);

describe('approval gates on the local stack', () => {
  it('runs the wave once the gate is approved, and records who approved it, when, and why', async () => {
    const r = await run({
      approvals: {
        'Application servers': { decision: 'APPROVE', afterSeconds: 600, by: 'alice', comment: 'DB checks green' },
      },
    });

    expect(r.result.status).toBe('COMPLETED');
    expect(startedWaves(r)).toEqual([1, 2, 3]);
    const gated = r.result.waves[1];
    expect(gated?.status).toBe('COMPLETED');
    expect(gated?.approval).toMatchObject({
      decision: 'APPROVE',
      by: 'alice',
      comment: 'DB checks green',
      message: 'Databases are up: confirm before the app tier',
    });
    // The decision came 600 simulated seconds after the gate opened, and the wave started after it.
    const opened = Date.parse(gated?.approval?.requestedAt ?? '');
    expect(Date.parse(gated?.approval?.at ?? '') - opened).toBe(600_000);
    expect(Date.parse(gated?.startedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(gated?.approval?.at ?? ''));
    expect(JSON.stringify(r.result)).not.toContain('taskToken');
    expect(r.events.filter((e) => e.type.startsWith('gate-')).map((e) => e.type)).toEqual([
      'gate-opened',
      'gate-closed',
    ]);
    // Subscribers were told how to decide.
    const asked = r.notifications.find((n) => n.attributes.status === 'AWAITING_APPROVAL');
    expect(asked?.message).toContain(`drs-orchestrator approve ${r.result.executionId} --wave 1 --aws`);
    expect(asked?.message).toContain(`/executions/${r.result.executionId}/waves/1/approval`);
  });

  it('ends CANCELLED with ApprovalRejected on a rejection, launching nothing more', async () => {
    const r = await run({
      approvals: { 'Application servers': { decision: 'REJECT', afterSeconds: 60, by: 'bob', comment: 'not today' } },
    });

    expect(r.result.status).toBe('CANCELLED');
    expect(r.result.error).toBe('ApprovalRejected');
    expect(r.result.cause).toContain('bob');
    expect(startedWaves(r)).toEqual([1]);
    expect(r.result.drs.startRecoveryCalls).toBe(1);
    expect(r.result.waves.map((w) => w.status)).toEqual(['COMPLETED', 'NOT_STARTED', 'NOT_STARTED']);
    expect(r.result.waves[1]?.approval).toMatchObject({ decision: 'REJECT', by: 'bob', comment: 'not today' });
    expect(r.taskCalls['Start wave recovery']).toBe(1);
  });

  it('ends FAILED with ApprovalTimedOut when no decision comes, at the gate timeout in simulated time', async () => {
    const r = await run({});

    expect(r.result.status).toBe('FAILED');
    expect(r.result.error).toBe('ApprovalTimedOut');
    expect(startedWaves(r)).toEqual([1]);
    expect(r.result.waves.map((w) => w.status)).toEqual(['COMPLETED', 'NOT_STARTED', 'NOT_STARTED']);
    const approval = r.result.waves[1]?.approval;
    expect(approval?.decision).toBe('TIMED_OUT');
    expect(Date.parse(approval?.timeoutAt ?? '') - Date.parse(approval?.requestedAt ?? '')).toBe(240 * 60_000);
    expect(r.simulatedSeconds).toBeGreaterThanOrEqual(240 * 60);
    expect(r.events.find((e) => e.type === 'gate-closed')).toMatchObject({ decision: 'TIMED_OUT' });
  });

  it('approves every gate at once with --auto-approve', async () => {
    const r = await run({}, { approvals: { autoApprove: true } });

    expect(r.result.status).toBe('COMPLETED');
    const approval = r.result.waves[1]?.approval;
    expect(approval).toMatchObject({ decision: 'APPROVE', by: 'drs-orchestrator run --auto-approve' });
    expect(approval?.at).toBe(approval?.requestedAt);
  });

  it('asks a person when no entry decides the gate, holding simulated time while they answer', async () => {
    const asked: string[] = [];
    const r = await run(
      {},
      {
        approvals: {
          ask: async (gate) => {
            asked.push(gate.name);
            // A person takes real time to answer; the simulated clock must not run to the gate's timeout meanwhile.
            await new Promise((resolve) => setTimeout(resolve, 200));
            return { decision: 'APPROVE', comment: 'looked fine' };
          },
        },
      },
    );

    expect(asked).toEqual(['Application servers']);
    expect(r.result.status).toBe('COMPLETED');
    const approval = r.result.waves[1]?.approval;
    expect(approval).toMatchObject({
      decision: 'APPROVE',
      by: 'local operator (terminal prompt)',
      comment: 'looked fine',
    });
    expect(approval?.at).toBe(approval?.requestedAt);
  });

  it('takes a decision once: a second decision on the same gate is refused and changes nothing', async () => {
    const stack = await LocalStack.start({ scenario: parseScenario({}), planServerIDs: [...DB, ...APP, ...WEB] });
    try {
      const refusals: string[] = [];
      const r = await stack.execute({
        input: { plan: PLAN, executionType: 'DRILL' },
        approvals: {
          onGate: (gate: OpenGate) => {
            stack.tokens.schedule(stack.clock.now(), async () => {
              const decide = (decision: 'APPROVE' | 'REJECT', by: string) =>
                stack.store.decideApproval(sfnDecisionDelivery(stack.stepFunctions), {
                  executionId: gate.executionId,
                  waveIndex: gate.index,
                  decision,
                  by,
                  at: stack.clock.now(),
                });
              await decide('APPROVE', 'first');
              await decide('REJECT', 'second').catch((error: Error) =>
                refusals.push(`${error.name}: ${error.message}`),
              );
            });
          },
        },
      });

      expect(r.result.status).toBe('COMPLETED');
      expect(r.result.waves[1]?.approval).toMatchObject({ decision: 'APPROVE', by: 'first' });
      expect(refusals).toEqual([expect.stringMatching(/^GateNotAwaiting: .*APPROVE was already decided by first/)]);
    } finally {
      await stack.close();
    }
  });

  it('keeps a decision that came while the gate function still ran, even if the function then crashes (as on AWS)', async () => {
    const stack = await LocalStack.start({ scenario: parseScenario({}), planServerIDs: [...DB, ...APP, ...WEB] });
    try {
      const store = stack.store;
      const openGate = store.openGate.bind(store);
      let crashed = 0;
      Object.defineProperty(store, 'openGate', {
        value: async (request: Parameters<typeof openGate>[0]) => {
          const opened = await openGate(request);
          if (crashed++ === 0) {
            await store.decideApproval(sfnDecisionDelivery(stack.stepFunctions), {
              executionId: request.executionId,
              waveIndex: request.index,
              decision: 'APPROVE',
              by: 'quick',
              at: stack.clock.now(),
            });
            throw Object.assign(new Error('the function crashed after the decision'), { name: 'Lambda.Unknown' });
          }
          return opened;
        },
      });

      const r = await stack.execute({ input: { plan: PLAN, executionType: 'DRILL' } });

      expect(r.result.status).toBe('COMPLETED');
      expect(r.result.waves[1]?.approval).toMatchObject({ decision: 'APPROVE', by: 'quick' });
      // The token's answer closed the task: no retry, one gate function call.
      expect(r.retries['Await approval']).toBeUndefined();
      expect(r.taskCalls['Await approval']).toBe(1);
    } finally {
      await stack.close();
    }
  });

  it('refuses a decision sent with a stale token as AWS does (TaskTimedOut), and an unknown one (InvalidToken)', async () => {
    const stack = await LocalStack.start({ scenario: parseScenario({}), planServerIDs: [...DB, ...APP, ...WEB] });
    try {
      const gates: OpenGate[] = [];
      await stack.execute({
        input: { plan: PLAN, executionType: 'DRILL' },
        approvals: { autoApprove: true, onGate: (gate) => gates.push(gate) },
      });
      const { SendTaskSuccessCommand } = await import('@aws-sdk/client-sfn');
      const stale = gates[0]?.taskToken ?? '';
      await expect(
        stack.stepFunctions.send(new SendTaskSuccessCommand({ taskToken: stale, output: '{}' })),
      ).rejects.toMatchObject({ name: 'TaskTimedOut' });
      await expect(
        stack.stepFunctions.send(new SendTaskSuccessCommand({ taskToken: 'not-a-token', output: '{}' })),
      ).rejects.toMatchObject({ name: 'InvalidToken' });
    } finally {
      await stack.close();
    }
  });
});
