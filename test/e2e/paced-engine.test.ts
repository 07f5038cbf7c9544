import { parseScenario } from '../../local/drs-simulator';
import { LocalStack } from '../../local/local-stack';
import { planServerIDs } from '../../local/run-local-execution';

/** The local engine's pacing hook (the web console's watchable time) and its StopExecution signal. */
const id = (tier: string, n: number) => `s-${tier}${String(n).padStart(17 - tier.length, '0')}`;
const plan = {
  planId: 'paced',
  name: 'Paced',
  pollIntervalSeconds: 30,
  waves: [
    { name: 'Databases', sourceServerIDs: [id('db', 1)], timeoutMinutes: 60 },
    { name: 'Web', sourceServerIDs: [id('web', 1)], timeoutMinutes: 60 },
  ],
};
const input = { plan, executionType: 'DRILL' };
const scenario = parseScenario({
  launches: {
    [id('db', 1)]: { result: 'LAUNCHED', afterSeconds: 300 },
    [id('web', 1)]: { result: 'LAUNCHED', afterSeconds: 200 },
  },
});

describe('the local engine with a pacing hook', () => {
  let stack: LocalStack;
  beforeEach(async () => {
    stack = await LocalStack.start({ scenario, planServerIDs: planServerIDs(input) });
  });
  afterEach(async () => {
    await stack.close();
  });

  it('lets each Wait state last until the hook resolves, leaving the clock to it', async () => {
    const waits: number[] = [];
    const run = await stack.execute({
      input,
      pace: async (seconds) => {
        waits.push(seconds);
        // The hook owns time: the engine must not move the clock at the Wait itself.
        stack.clock.advance(seconds);
      },
    });

    expect(run.result.status).toBe('COMPLETED');
    expect(waits.length).toBeGreaterThan(2);
    expect(waits.every((s) => s > 0)).toBe(true);
    // Without retries, the simulated time is exactly the waits the hook was given.
    expect(Object.keys(run.retries)).toEqual([]);
    expect(run.simulatedSeconds).toBe(waits.reduce((a, b) => a + b, 0));
  });

  it('starts no task before the paced wait has ended', async () => {
    let held = false;
    const polledWhileHeld: number[] = [];
    let polls = 0;
    const run = await stack.execute({
      input,
      onProgress: (event) => {
        if (event.type !== 'wave-polled') return;
        polls++;
        if (held) polledWhileHeld.push(polls);
      },
      pace: async (seconds) => {
        held = true;
        await tick();
        stack.clock.advance(seconds);
        held = false;
      },
    });

    expect(run.result.status).toBe('COMPLETED');
    expect(polls).toBeGreaterThan(2);
    expect(polledWhileHeld).toEqual([]);
  });

  it('ends ABORTED and CANCELLED in the records when its signal is aborted during a wait', async () => {
    const stop = new AbortController();
    const run = await stack.execute({
      input,
      signal: stop.signal,
      pace: async (seconds) => {
        stack.clock.advance(seconds);
        stop.abort();
      },
    });

    expect(run.workflow.status).toBe('ABORTED');
    expect(run.result.status).toBe('CANCELLED');
    expect(run.result.waves.map((w) => w.status)).toEqual(['FAILED', 'NOT_STARTED']);
  });
});

const tick = () => new Promise((resolve) => setTimeout(resolve, 20));
