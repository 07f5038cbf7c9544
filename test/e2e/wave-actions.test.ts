import { parseScenario, type ScenarioInput } from '../../local/drs-simulator';
import { type LocalRun, LocalStack } from '../../local/local-stack';
import { runLocalExecution } from '../../local/run-local-execution';

/**
 * Pre- and post-wave actions on the local stack: the deployed ASL (Step Functions' own
 * lambda:invoke answered by the simulated action runner), the real task code, dynalite and the DRS
 * simulator. What DRS launched is read from the simulator's jobs, what ran from the runner's
 * invocations.
 */
const id = (tier: string, n: number) => `s-${tier}${String(n).padStart(17 - tier.length, '0')}`;
const DB = [id('db', 1), id('db', 2)];
const WEB = [id('web', 1), id('web', 2)];
const fn = (name: string) => `arn:aws:lambda:us-east-1:111122223333:function:${name}`;

interface ActionSpec {
  name: string;
  lambdaFunctionArn: string;
  timeoutSeconds: number;
  continueOnFailure?: boolean;
}
const action = (name: string, extra: Partial<ActionSpec> = {}): ActionSpec => ({
  name,
  lambdaFunctionArn: fn(name.toLowerCase().replace(/ /g, '-')),
  timeoutSeconds: 300,
  ...extra,
});

const planOf = (web: { pre?: ActionSpec[]; post?: ActionSpec[] }) => ({
  planId: 'shop',
  name: 'Shop',
  pollIntervalSeconds: 30,
  waves: [
    { name: 'Databases', sourceServerIDs: DB, timeoutMinutes: 60 },
    {
      name: 'Web',
      sourceServerIDs: WEB,
      timeoutMinutes: 30,
      ...(web.pre ? { preWaveActions: web.pre } : {}),
      ...(web.post ? { postWaveActions: web.post } : {}),
    },
  ],
});

const run = (plan: unknown, scenario: ScenarioInput = {}) =>
  runLocalExecution({ input: { plan, executionType: 'DRILL' }, scenario: parseScenario(scenario) });

/** StartRecovery calls the simulator saw for a wave (its ground truth), by the job's wave tag. */
const jobsOfWave = (r: LocalRun, wave: number) =>
  r.jobs.filter((job) => job.tags?.['drs-orchestrator:wave'] === String(wave + 1));
const invoked = (r: LocalRun, name: string) => r.actionInvocations.filter((i) => i.name === name);

describe('wave actions on the local stack', () => {
  it('runs a post-wave action once after every server LAUNCHED, with the recovered instances, then COMPLETES the wave', async () => {
    const r = await run(planOf({ post: [action('Smoke test')] }));

    expect(r.result.status).toBe('COMPLETED');
    const calls = invoked(r, 'Smoke test');
    expect(calls).toHaveLength(1);
    const request = calls[0]?.request as Record<string, unknown>;
    expect(request).toMatchObject({
      executionId: r.result.executionId,
      planName: 'Shop',
      executionType: 'DRILL',
      wave: { index: 1, name: 'Web' },
      phase: 'POST',
      action: { name: 'Smoke test', position: 0, timeoutSeconds: 300 },
    });
    // Every LAUNCHED server's recovery instance, as the simulator launched it.
    const launched = jobsOfWave(r, 1)[0]?.participatingServers ?? [];
    expect(request.recoveredInstances).toEqual(
      Object.fromEntries(launched.map((s) => [s.sourceServerID, s.recoveryInstanceID])),
    );
    expect(Object.keys(request.recoveredInstances as object).sort()).toEqual([...WEB].sort());
    // The action ran after the wave's servers launched: its call is later than the job's start.
    expect(r.result.waves[1]?.actions).toEqual([
      expect.objectContaining({ name: 'Smoke test', phase: 'POST', status: 'SUCCEEDED', message: 'ok' }),
    ]);
    expect(r.result.waves[1]?.status).toBe('COMPLETED');
    expect(r.result.warnings).toEqual([]);
  });

  it('fails the wave before its StartRecovery when a pre-wave action fails: no job, WaveActionFailed, the rest SKIPPED', async () => {
    const plan = planOf({ pre: [action('Drain old site'), action('Flush caches')], post: [action('Smoke test')] });
    const r = await run(plan, {
      waveActions: { 'Drain old site': { result: 'FAILED', message: 'the old site still serves' } },
    });

    expect(r.result).toMatchObject({ status: 'FAILED', error: 'WaveActionFailed' });
    expect(r.result.cause).toContain("pre-wave action 'Drain old site' FAILED: the old site still serves");
    // The simulator's ground truth: the first wave's job, and none for the wave whose pre-wave action failed.
    expect(jobsOfWave(r, 0)).toHaveLength(1);
    expect(jobsOfWave(r, 1)).toHaveLength(0);
    expect(r.result.drs.startRecoveryCalls).toBe(1);
    const web = r.result.waves[1];
    expect(web).toMatchObject({ status: 'FAILED', failedServers: [] });
    expect(web?.jobId).toBeUndefined();
    expect(web?.actions?.map((a) => [a.name, a.phase, a.status])).toEqual([
      ['Drain old site', 'PRE', 'FAILED'],
      ['Flush caches', 'PRE', 'SKIPPED'],
      ['Smoke test', 'POST', 'SKIPPED'],
    ]);
    expect(invoked(r, 'Drain old site')).toHaveLength(1);
    expect(invoked(r, 'Flush caches')).toHaveLength(0);
    expect(invoked(r, 'Smoke test')).toHaveLength(0);
  });

  it('fails the wave when a post-wave action fails, and says its servers LAUNCHED', async () => {
    const r = await run(planOf({ post: [action('Smoke test')] }), {
      waveActions: { 'Smoke test': { result: 'FAILED', message: 'HTTP 503 from /health' } },
    });

    expect(r.result).toMatchObject({ status: 'FAILED', error: 'WaveActionFailed' });
    const web = r.result.waves[1];
    expect(web?.status).toBe('FAILED');
    expect(web?.failedServers).toEqual([]);
    expect(web?.servers.map((s) => s.launchStatus)).toEqual(['LAUNCHED', 'LAUNCHED']);
    expect(web?.reason).toContain('its servers launched (2 of 2 LAUNCHED)');
    expect(web?.actions).toEqual([
      expect.objectContaining({ name: 'Smoke test', status: 'FAILED', message: 'HTTP 503 from /health' }),
    ]);
    // DRS's truth agrees: the job launched both.
    expect(jobsOfWave(r, 1)[0]?.participatingServers?.map((s) => s.launchStatus)).toEqual(['LAUNCHED', 'LAUNCHED']);
  });

  it('COMPLETES the wave after a failed continueOnFailure action, with a warning that names it', async () => {
    const r = await run(planOf({ post: [action('Warm caches', { continueOnFailure: true }), action('Smoke test')] }), {
      waveActions: { 'Warm caches': { result: 'FAILED', message: 'cache cluster not reachable' } },
    });

    expect(r.result.status).toBe('COMPLETED');
    expect(r.result.waves[1]?.actions?.map((a) => [a.name, a.status])).toEqual([
      ['Warm caches', 'FAILED'],
      ['Smoke test', 'SUCCEEDED'],
    ]);
    expect(r.result.warnings).toEqual([
      "wave 2 'Web': post-wave action 'Warm caches' FAILED (cache cluster not reachable); the wave went on (continueOnFailure)",
    ]);
  });

  it('counts a thrown error as a failure, with the function error in the message', async () => {
    const r = await run(planOf({ post: [action('Smoke test')] }), {
      waveActions: { 'Smoke test': { result: 'THROWS', message: 'connect ECONNREFUSED' } },
    });

    expect(r.result).toMatchObject({ status: 'FAILED', error: 'WaveActionFailed' });
    expect(r.result.waves[1]?.actions?.[0]).toMatchObject({
      status: 'FAILED',
      message: 'the function threw Error: connect ECONNREFUSED',
    });
  });

  it('counts a hung action as a failure at its timeout, in simulated time', async () => {
    const r = await run(planOf({ pre: [action('Drain old site', { timeoutSeconds: 600 })] }), {
      waveActions: { 'Drain old site': { result: 'HANGS' } },
    });

    expect(r.result).toMatchObject({ status: 'FAILED', error: 'WaveActionFailed' });
    const drain = r.result.waves[1]?.actions?.[0];
    expect(drain).toMatchObject({
      status: 'FAILED',
      message: 'no answer within its timeout of 600 s (States.Timeout)',
    });
    // The clock moved by the timeout: the action ended 600 simulated seconds after it started.
    expect(Date.parse(drain?.endedAt ?? '') - Date.parse(drain?.startedAt ?? '')).toBe(600_000);
    expect(jobsOfWave(r, 1)).toHaveLength(0);
  });

  it('counts a malformed answer as a failure', async () => {
    const r = await run(planOf({ post: [action('Smoke test')] }), {
      waveActions: { 'Smoke test': { answer: { status: 'green' } } },
    });

    expect(r.result).toMatchObject({ status: 'FAILED', error: 'WaveActionFailed' });
    expect(r.result.waves[1]?.actions?.[0]?.message).toMatch(
      /^the function answered \{"status":"green"\}, not \{ "ok"/,
    );
  });

  it('is InvalidPlan at the start, naming wave and action, for a function the deployment may not invoke', async () => {
    const plan = planOf({ pre: [action('Drain old site')], post: [action('Smoke test')] });
    const stack = await LocalStack.start({
      scenario: parseScenario({}),
      planServerIDs: [...DB, ...WEB],
      actionGrant: { functionArns: [fn('smoke-test')] },
    });
    try {
      const r = await stack.execute({ input: { plan, executionType: 'DRILL' } });

      expect(r.result).toMatchObject({ status: 'FAILED', error: 'InvalidPlan' });
      expect(r.result.cause).toContain(
        `plan.waves[1].preWaveActions[0].lambdaFunctionArn: wave 'Web' action 'Drain old site' calls ${fn('drain-old-site')}, which this deployment may not invoke`,
      );
      expect(r.result.cause).not.toContain('Smoke test');
      expect(stack.simulator.counts().startRecoveryCalls).toBe(0);
      expect(r.actionInvocations).toEqual([]);
    } finally {
      await stack.close();
    }
  });
});

describe('wave actions under task crashes and retries', () => {
  it('invokes an action once when its task crashes before recording its start or its end', async () => {
    const r = await run(planOf({ pre: [action('Drain old site')], post: [action('Smoke test')] }), {
      taskCrashes: { beginWaveAction: 2, endWaveAction: { times: 2, as: 'Sandbox.Timedout' } },
    });

    expect(r.result.status).toBe('COMPLETED');
    expect(invoked(r, 'Drain old site')).toHaveLength(1);
    expect(invoked(r, 'Smoke test')).toHaveLength(1);
    // Both crashes of each write strike the first action's task, which the workflow retries.
    expect(r.retries['Begin pre-wave action']).toBe(2);
    expect(r.retries['Record pre-wave action']).toBe(2);
  });

  it('never invokes an action whose start was recorded by a crashed attempt: FAILED, outcome unknown', async () => {
    const r = await run(planOf({ pre: [action('Drain old site')] }), {
      taskCrashes: { beginWaveAction: { times: 1, after: true } },
    });

    expect(r.result).toMatchObject({ status: 'FAILED', error: 'WaveActionFailed' });
    expect(invoked(r, 'Drain old site')).toHaveLength(0);
    expect(r.result.waves[1]?.actions?.[0]).toMatchObject({
      status: 'FAILED',
      message: expect.stringMatching(/^outcome unknown/),
    });
    expect(jobsOfWave(r, 1)).toHaveLength(0);
  });

  it('keeps the recorded end when the task recording it crashes after the write and is retried', async () => {
    const r = await run(planOf({ post: [action('Smoke test')] }), {
      taskCrashes: { endWaveAction: { times: 1, after: true } },
    });

    expect(r.result.status).toBe('COMPLETED');
    expect(invoked(r, 'Smoke test')).toHaveLength(1);
    expect(r.result.waves[1]?.actions?.[0]?.status).toBe('SUCCEEDED');
  });

  it('runs no pre-wave action of a wave after an earlier wave failed (the local engine starts the next iteration)', async () => {
    const r = await run(planOf({ pre: [action('Drain old site')] }), {
      launches: { [DB[1] as string]: { result: 'FAILED', afterSeconds: 90 } },
    });

    expect(r.result).toMatchObject({ status: 'FAILED', error: 'WaveFailed' });
    expect(r.actionInvocations).toEqual([]);
    expect(r.result.waves[1]?.status).toBe('NOT_STARTED');
    expect(r.result.waves[1]?.actions).toEqual([]);
  });
});
