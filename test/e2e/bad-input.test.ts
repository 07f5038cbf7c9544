import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { createApi } from '../../functions/api/api';
import { createDrsClient } from '../../functions/shared/clients';
import { DrsSimulator, parseScenario } from '../../local/drs-simulator';
import { runLocalExecution } from '../../local/run-local-execution';
import { SimulatedClock } from '../../local/simulated-clock';
import { BAD_INPUT_CASES, type BadInputCase } from '../fixtures/bad-input/cases';
import { request, startApiHarness } from '../unit/api/harness';

/**
 * Every bad plan of the corpus is rejected by the workflow, the CLI (exit 2) and the API (400)
 * alike, naming every problem, with zero StartRecovery calls.
 */
const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'drs-orchestrator.js');
const dir = mkdtempSync(join(tmpdir(), 'drs-bad-input-'));
const sfn = mockClient(SFNClient);
const expectEveryProblem = (text: string, c: BadInputCase) => {
  for (const problem of c.problems) expect(text).toContain(problem);
};

describe('bad input', () => {
  let harness: Awaited<ReturnType<typeof startApiHarness>>;
  beforeAll(async () => {
    harness = await startApiHarness();
  });
  afterAll(async () => harness.stop());

  // Text that is not JSON never reaches a workflow (Step Functions takes only JSON input), nor
  // does an input over 256 KiB (StartExecution refuses it).
  const inputOf = (c: BadInputCase) => ({ plan: JSON.parse(c.text), executionType: 'DRILL' });
  const fits = (c: BadInputCase) => Buffer.byteLength(JSON.stringify(inputOf(c))) <= 262_144;
  const workflowCases = BAD_INPUT_CASES.filter((c) => c.error !== undefined && fits(c));
  const refusedCases = BAD_INPUT_CASES.filter((c) => c.error !== undefined && !fits(c));
  it.each(refusedCases.map((c) => [c.name, c] as const))(
    '%s is refused before any execution starts, as StartExecution refuses an input over 256 KiB',
    async (_, c) => {
      await expect(
        runLocalExecution({ input: inputOf(c), scenario: parseScenario(c.scenario ?? {}) }),
      ).rejects.toMatchObject({ name: 'InvalidExecutionInput' });
    },
  );
  it.each(workflowCases.map((c) => [c.name, c] as const))(
    '%s is rejected by the workflow before any StartRecovery',
    async (_, c) => {
      const run = await runLocalExecution({
        input: { plan: JSON.parse(c.text), executionType: 'DRILL' },
        scenario: parseScenario(c.scenario ?? {}),
      });
      expect(run.result).toMatchObject({ status: 'FAILED', error: c.error });
      expectEveryProblem(run.result.cause ?? '', c);
      expect(run.result.drs.startRecoveryCalls).toBe(0);
    },
  );

  describe.each(BAD_INPUT_CASES.map((c) => [c.name, c] as const))('%s', (_, c) => {
    it('is rejected by the CLI with exit code 2, naming every problem', () => {
      const planFile = join(dir, `${c.name.replace(/\W+/g, '-')}.plan.json`);
      writeFileSync(planFile, c.text);
      const args = ['run', planFile, '--json'];
      if (c.scenario) {
        const scenarioFile = join(dir, `${c.name.replace(/\W+/g, '-')}.scenario.json`);
        writeFileSync(scenarioFile, JSON.stringify(c.scenario));
        args.push('--scenario', scenarioFile);
      }
      const out = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
      expect(out.status).toBe(2);
      expectEveryProblem(out.stderr, c);
      if (out.stdout) expect(JSON.parse(out.stdout).drs.startRecoveryCalls).toBe(0);
    });

    it('is rejected by the API with 400, naming every problem, starting nothing', async () => {
      sfn.reset();
      const { api, plans, clock, executions } = await harness.fresh();
      let response = await api(request('POST', '/plans', { rawBody: c.text }));
      if (response.statusCode === 201) {
        // A plan fine on paper: the start route's preflight asks DRS (the simulator) and refuses.
        const planId = JSON.parse(c.text).planId as string;
        const simulator = new DrsSimulator({
          scenario: parseScenario(c.scenario ?? {}),
          clock: new SimulatedClock(),
          planServerIDs: [],
        });
        const endpoint = await simulator.start();
        const drs = createDrsClient({
          region: 'us-east-1',
          drsEndpoint: endpoint,
          credentials: { accessKeyId: 't', secretAccessKey: 't' },
        });
        try {
          const withDrs = createApi({
            executions,
            plans,
            sfn: new SFNClient({ region: 'us-east-1' }),
            stateMachineArn: 'arn:aws:states:us-east-1:111122223333:stateMachine:recovery-plan',
            region: 'us-east-1',
            clock,
            drs,
          });
          response = await withDrs(request('POST', '/plans/{planId}/drills', { pathParameters: { planId } }));
          expect(simulator.counts().startRecoveryCalls).toBe(0);
        } finally {
          drs.destroy();
          await simulator.stop();
        }
      }
      expect(response.statusCode).toBe(400);
      const body = JSON.parse(response.body) as { message: string; problems?: string[] };
      expectEveryProblem(`${body.message}\n${(body.problems ?? []).join('\n')}`, c);
      expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
    });
  });

  it('has a case for every kind of bad input the corpus promises', () => {
    expect(BAD_INPUT_CASES.map((c) => c.name)).toEqual([
      'malformed',
      'wrong-types',
      'empty-waves',
      'empty-wave',
      'duplicate-servers',
      'bad-ids',
      'absurd-intervals',
      'unexpected-fields',
      'too-many-servers',
      'unknown-servers',
      'unhealthy-replication',
      '5 MB plan',
    ]);
  });
});
