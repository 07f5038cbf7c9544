import { PLAN_LIMITS } from '../../functions/shared/plan-rules';
import { parseScenario } from '../../local/drs-simulator';
import { LocalStack } from '../../local/local-stack';

/**
 * Step Functions fails an execution past 25,000 history events (States.Runtime) and a state whose
 * input or output passes 256 KiB (States.DataLimitExceeded, which no Catch catches); the local
 * runner does the same, so a local drill cannot pass what AWS would fail.
 */
const SERVER = 's-0db00000000000001';
const plan = {
  planId: 'limits',
  pollIntervalSeconds: 30,
  waves: [{ name: 'Databases', sourceServerIDs: [SERVER], timeoutMinutes: 60 }],
};
// Launched after 50 minutes: the launch wait runs to its 600 s fallback four times before the event wakes it.
const scenario = { launches: { [SERVER]: { result: 'LAUNCHED', afterSeconds: 3000 } } };

async function onStack<T>(scenarioInput: unknown, servers: string[], act: (stack: LocalStack) => Promise<T>) {
  const stack = await LocalStack.start({ scenario: parseScenario(scenarioInput), planServerIDs: servers });
  try {
    return await act(stack);
  } finally {
    await stack.close();
  }
}

describe('Step Functions limits on the local stack', () => {
  it('counts history events as Step Functions writes them: 12 a poll, 29 a wave, 20 for the execution', async () => {
    const r = await onStack(scenario, [SERVER], (stack) => stack.execute({ input: { plan, executionType: 'DRILL' } }));

    expect(r.result.status).toBe('COMPLETED');
    const polls = r.taskCalls['Check the wave'] ?? 0;
    expect(polls).toBe(5);
    // The execution: its start and end, "Validate plan and record execution", the Map, "Record the ending",
    // "Every wave recovered?", "Plan recovered".
    // A wave: its Map iteration, "Wait for dependencies and room" and "Start wave recovery" (Tasks), and
    // "May the wave start?", "Approval gate?", "Pre-wave actions?", "Post-wave actions?", "Wave recovered",
    // "Wake waiting waves" (a Task) and "Wave ended".
    // A poll: "Wait for launch" (a Task: entered, scheduled, started, ended, exited), "Check the wave", the Choice.
    // (On AWS a token wait also writes TaskSubmitted, which the budget counts; the local count does not.)
    expect(r.historyEvents).toBe(20 + 29 + 12 * polls);
  });

  it("asks again for dependencies and room at the wave's own fallback, read from its Map item (TimeoutSecondsPath)", async () => {
    const APP = 's-0db00000000000002';
    // Databases may hold room 3 hours: App waits in four waits of 2,700 s (not the old fixed 900 s).
    const chain = {
      ...plan,
      waves: [
        { name: 'Databases', sourceServerIDs: [SERVER], timeoutMinutes: 180 },
        { name: 'App', sourceServerIDs: [APP], timeoutMinutes: 60 },
      ],
    };
    const launches = { [SERVER]: scenario.launches[SERVER], [APP]: { result: 'LAUNCHED', afterSeconds: 60 } };
    const r = await onStack({ launches }, [SERVER, APP], (stack) =>
      stack.execute({ input: { plan: chain, executionType: 'DRILL' } }),
    );

    expect(r.result.status).toBe('COMPLETED');
    // Databases asks once; App asks, times out at 2,700 s and asks again, then Databases' verdict (3,000 s) wakes it.
    expect(r.taskCalls['Wait for dependencies and room']).toBe(3);
    const polls = r.taskCalls['Check the wave'] ?? 0;
    // As above, and App's timed-out wait: entered, scheduled, started, timed out, exited.
    expect(r.historyEvents).toBe(20 + 2 * 29 + 12 * polls + 5);
  });

  it('fails an execution that passes the history limit with States.Runtime, and records it', async () => {
    const r = await onStack(scenario, [SERVER], (stack) =>
      stack.execute({ input: { plan, executionType: 'DRILL' }, limits: { historyEvents: 60 } }),
    );

    expect(r.workflow).toEqual({
      status: 'FAILED',
      error: 'States.Runtime',
      cause: 'The execution reached the maximum number of history events (60).',
    });
    expect(r.result).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(r.result.waves[0]?.status).toBe('FAILED');
    expect(r.historyEvents).toBeGreaterThan(60);
    // Nothing ran past the limit: the failure path is the EventBridge status change, not a Catch.
    expect(r.taskCalls['Record the failure']).toBeUndefined();
  });

  it('fails a state whose input passes the payload limit with States.DataLimitExceeded, which no Catch catches', async () => {
    const r = await onStack(scenario, [SERVER], (stack) =>
      stack.execute({ input: { plan, executionType: 'DRILL' }, limits: { payloadBytes: 250 } }),
    );

    expect(r.workflow).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(r.workflow.cause).toMatch(
      /^The input to task 'Validate plan and record execution' has a size of \d+ bytes, exceeding the maximum number of bytes service limit \(250\)\.$/,
    );
    expect(r.taskCalls).toEqual({});
    expect(r.result).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(r.result.drs.jobsCreated).toBe(0);
  });

  it('records the failure of a plan near the inline size cap whose cause is long, within 256 KiB', async () => {
    // 100 waves of 80 servers: just under the cap. 201 servers listed in two waves make a ~40 KB cause.
    const id = (n: number) => `s-${String(n).padStart(17, '0')}`;
    const waves = Array.from({ length: 100 }, (_, w) => ({
      name: `${String(w).padStart(3, '0')} ${'x'.repeat(60)}`,
      sourceServerIDs: Array.from({ length: 80 }, (_, s) =>
        id(w <= 5 && w % 2 === 1 && s < 67 ? (w - 1) * 80 + s : w * 80 + s),
      ),
      // Within the history budget (100 waves of 60 minutes are not): the cause is the servers listed twice.
      timeoutMinutes: 10,
    }));
    const big = { planId: 'big', description: 'd'.repeat(1024), pollIntervalSeconds: 30, waves };
    const bytes = Buffer.byteLength(JSON.stringify(big));
    expect(bytes).toBeLessThanOrEqual(PLAN_LIMITS.maxPlanBytes);
    expect(bytes).toBeGreaterThan(PLAN_LIMITS.maxPlanBytes - 16_384);

    const r = await onStack({}, [], (stack) => stack.execute({ input: { plan: big, executionType: 'DRILL' } }));

    expect(r.workflow).toMatchObject({ status: 'FAILED', error: 'InvalidPlan' });
    expect(r.result).toMatchObject({ status: 'FAILED', error: 'InvalidPlan', planId: 'big', executionType: 'DRILL' });
    expect(r.result.cause?.length).toBeGreaterThan(32_768);
    expect(r.taskCalls['Record the failure']).toBe(1);
  });
});
