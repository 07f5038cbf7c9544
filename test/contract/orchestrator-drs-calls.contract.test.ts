import { type DrsExchange, parseScenario, type ScenarioInput } from '../../local/drs-simulator';
import { LocalStack } from '../../local/local-stack';
import { requestProblems, responseProblems } from '../support/drs-model';

/**
 * Every DRS request the project's code sends, and every answer it reads, checked against the DRS
 * API model (not against the simulator, which could share a mistake with the code): a plan run
 * end to end on the local stack as a DRILL and as a RECOVERY, with a failed server (the job log is
 * read), a skipped one, a lost StartRecovery response (the wave's job is found by its tags) and
 * the preflight's reads.
 */
const id = (tier: string, n: number) => `s-${tier}${String(n).padStart(17 - tier.length, '0')}`;
const DB = [id('db', 1), id('db', 2)];
const APP = [id('app', 1), id('app', 2)];
const WEB = [id('web', 1), id('web', 2)];
const plan = {
  planId: 'three-tier',
  pollIntervalSeconds: 30,
  waves: [
    { name: 'Databases', sourceServerIDs: DB, timeoutMinutes: 60 },
    { name: 'App', sourceServerIDs: APP, timeoutMinutes: 30 },
    { name: 'Web', sourceServerIDs: WEB, timeoutMinutes: 30 },
  ],
};

async function exchangesOf(scenario: ScenarioInput, executionType: 'DRILL' | 'RECOVERY'): Promise<DrsExchange[]> {
  const stack = await LocalStack.start({
    scenario: parseScenario(scenario),
    planServerIDs: plan.waves.flatMap((w) => w.sourceServerIDs),
  });
  const exchanges: DrsExchange[] = [];
  stack.simulator.onExchange((exchange) => exchanges.push(exchange));
  try {
    await stack.execute({ input: { plan, executionType } });
  } finally {
    await stack.close();
  }
  return exchanges;
}

const CORE = ['DescribeSourceServers', 'DescribeJobs', 'StartRecovery'];
/** Each run: its scenario, its type, and the DRS operations it must have called (so the check is not blind). */
const runs: [string, ScenarioInput, 'DRILL' | 'RECOVERY', string[]][] = [
  [
    'a DRILL that completes, with a lost StartRecovery response',
    { faults: { StartRecovery: { loseResponseTimes: 1 } } },
    'DRILL',
    CORE,
  ],
  [
    'a RECOVERY with post-launch actions (one optional action fails)',
    {
      sourceServers: plan.waves.flatMap((w) => w.sourceServerIDs).map((sourceServerID) => ({ sourceServerID })),
      launches: Object.fromEntries(
        plan.waves.flatMap((w) => w.sourceServerIDs).map((s) => [s, { postLaunchActions: 'OPTIONAL_FAILED' as const }]),
      ),
    },
    'RECOVERY',
    CORE,
  ],
  [
    'a DRILL whose second wave fails and skips a server',
    {
      launches: {
        [APP[0] as string]: { result: 'FAILED', afterSeconds: 90 },
        [APP[1] as string]: { result: 'SKIPPED' },
      },
    },
    'DRILL',
    [...CORE, 'DescribeJobLogItems'],
  ],
];

describe('the DRS calls of the orchestrator against the DRS API model', () => {
  it.each(runs)('sends requests and reads answers that fit the model: %s', async (_name, scenario, type, called) => {
    const exchanges = await exchangesOf(scenario, type);

    const problems = exchanges.flatMap((e, i) => {
      const where = `${e.operation} #${i}`;
      if (e.operation === undefined) return [`#${i}: ${e.path} is no DRS operation`];
      const request = requestProblems(e.operation, e.request).map((p) => `${where} request: ${p}`);
      const answer =
        e.errorType === undefined
          ? responseProblems(e.operation, e.statusCode, e.body).map((p) => `${where}: ${p}`)
          : [];
      return [...request, ...answer];
    });
    expect(problems).toEqual([]);
    // DRS refused nothing as invalid (the simulator checks the shapes it knows, the model the rest).
    expect(exchanges.filter((e) => e.errorType === 'ValidationException')).toEqual([]);
    expect([...new Set(exchanges.map((e) => e.operation))]).toEqual(expect.arrayContaining(called));
  });
});
