import {
  DescribeJobLogItemsCommand,
  DescribeJobsCommand,
  DescribeRecoveryInstancesCommand,
  DescribeSourceServersCommand,
  DrsClient,
  StartRecoveryCommand,
  TerminateRecoveryInstancesCommand,
} from '@aws-sdk/client-drs';
import { DRS_MODEL_ERRORS, type DrsExchange, DrsSimulator, parseScenario } from '../../local/drs-simulator';
import { SimulatedClock } from '../../local/simulated-clock';
import { errorProblems, requestProblems, responseProblems } from '../support/drs-model';

/**
 * Every answer of the DRS simulator, checked against the DRS API model: one flow that drives every
 * operation, every launch result, post-launch actions, quotas, every error of the model and the
 * simulator's own validation errors. The same flow also checks what the SDK sent.
 */
const id = (n: number) => `s-${String(n).padStart(17, '0')}`;
const [OK, FAILS, TERMINATED, STUCK, SKIPPED, STALLED, ACTIONS_FAIL, OPTIONAL_FAILS, SPARE] = Array.from(
  { length: 9 },
  (_, n) => id(n + 1),
) as [string, string, string, string, string, string, string, string, string];

/**
 * Every problem of one exchange: its request (unless DRS refused it as invalid, which this flow
 * does on purpose) and its answer, against the model.
 */
function exchangeProblems(exchange: DrsExchange): string[] {
  if (exchange.operation === undefined) return [];
  const checkRequest = exchange.request !== undefined && exchange.errorType !== 'ValidationException';
  const request = checkRequest ? requestProblems(exchange.operation, exchange.request) : [];
  const answer =
    exchange.errorType === undefined
      ? responseProblems(exchange.operation, exchange.statusCode, exchange.body)
      : errorProblems(exchange.errorType, exchange.statusCode, exchange.body);
  return [...request, ...answer];
}

describe('the DRS simulator against the DRS API model', () => {
  const exchanges: DrsExchange[] = [];
  let sim: DrsSimulator;
  let client: DrsClient;
  const clock = new SimulatedClock(new Date('2026-01-01T00:00:00.000Z'));

  beforeAll(async () => {
    sim = new DrsSimulator({
      scenario: parseScenario({
        sourceServers: [
          ...[OK, FAILS, TERMINATED, STUCK, SKIPPED, ACTIONS_FAIL, OPTIONAL_FAILS, SPARE].map((sourceServerID) => ({
            sourceServerID,
          })),
          { sourceServerID: STALLED, replicationState: 'STALLED' },
        ],
        launches: {
          [OK]: { postLaunchActions: 'SUCCEEDED' },
          [FAILS]: { result: 'FAILED', afterSeconds: 90 },
          [TERMINATED]: { result: 'TERMINATED', afterSeconds: 120 },
          [STUCK]: { result: 'STUCK' },
          [SKIPPED]: { result: 'SKIPPED' },
          [ACTIONS_FAIL]: { postLaunchActions: 'FAILED' },
          [OPTIONAL_FAILS]: { postLaunchActions: 'OPTIONAL_FAILED' },
        },
        jobCompletesAfterSeconds: 600,
        quotas: { maxServersPerJob: 9, maxConcurrentJobs: 3 },
        faults: {
          // One of each refusal on the first calls, then a lost response answered as a 500.
          DescribeSourceServers: {
            throttleTimes: 1,
            internalErrorTimes: 1,
            errorTimes: 1,
            error: 'AccessDeniedException',
          },
          DescribeRecoveryInstances: { errorTimes: 1, error: 'UninitializedAccountException' },
          DescribeJobLogItems: { errorTimes: 1, error: 'ResourceNotFoundException' },
          TerminateRecoveryInstances: { errorTimes: 1, error: 'ConflictException' },
          DescribeJobs: { errorTimes: 1, error: 'ValidationException', loseResponseTimes: 1, loseResponseAs: 'error' },
        },
      }),
      clock,
      planServerIDs: [],
    });
    const endpoint = await sim.start();
    sim.onExchange((exchange) => exchanges.push(exchange));
    client = new DrsClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    // A call the flow expects DRS to refuse: the refusal is what is recorded and checked.
    const attempt = async (command: object) => {
      try {
        return await client.send(command as never);
      } catch {
        return undefined;
      }
    };
    const everyServer = [OK, FAILS, TERMINATED, STUCK, SKIPPED, STALLED, ACTIONS_FAIL, OPTIONAL_FAILS];

    // Refusals and faults first, then the work.
    for (let i = 0; i < 4; i++) await attempt(new DescribeSourceServersCommand({}));
    for (let i = 0; i < 3; i++) await attempt(new DescribeJobsCommand({}));
    await attempt(new DescribeRecoveryInstancesCommand({}));
    const { job } = (await client.send(
      new StartRecoveryCommand({
        sourceServers: everyServer.map((sourceServerID) => ({ sourceServerID })),
        isDrill: true,
        tags: { 'drs-orchestrator:wave': '1' },
      }),
    )) as { job?: { jobID?: string } };
    const jobID = job?.jobID as string;
    await attempt(new DescribeJobLogItemsCommand({ jobID }));
    // The simulator's own refusals: a server in a running job, the quota of servers per job, unknown servers.
    await attempt(new StartRecoveryCommand({ sourceServers: [{ sourceServerID: OK }] }));
    await attempt(
      new StartRecoveryCommand({
        sourceServers: Array.from({ length: 10 }, (_, n) => ({ sourceServerID: id(100 + n) })),
      }),
    );
    await attempt(new StartRecoveryCommand({ sourceServers: [{ sourceServerID: id(99) }] }));
    await attempt(new DescribeJobsCommand({ filters: { jobIDs: ['not-a-job'] } }));
    for (const seconds of [0, 5, 30, 60, 75, 95, 125, 600]) {
      clock.advance(seconds);
      await client.send(new DescribeJobsCommand({ filters: { jobIDs: [jobID] } }));
      await client.send(new DescribeJobsCommand({ maxResults: 1 }));
      await client.send(new DescribeJobLogItemsCommand({ jobID, maxResults: 3 }));
      await client.send(new DescribeSourceServersCommand({ filters: { sourceServerIDs: everyServer } }));
      await client.send(new DescribeRecoveryInstancesCommand({ filters: { sourceServerIDs: everyServer } }));
    }
    const { items } = await client.send(new DescribeRecoveryInstancesCommand({}));
    const instances = (items ?? []).map((i) => i.recoveryInstanceID as string);
    await attempt(new TerminateRecoveryInstancesCommand({ recoveryInstanceIDs: instances }));
    const terminate = await client.send(new TerminateRecoveryInstancesCommand({ recoveryInstanceIDs: instances }));
    await client.send(new StartRecoveryCommand({ sourceServers: [{ sourceServerID: SPARE }] }));
    await attempt(new StartRecoveryCommand({ sourceServers: [{ sourceServerID: STUCK }] })); // a 4th running job
    clock.advance(60);
    await client.send(new DescribeJobsCommand({ filters: { fromDate: '2026-01-01T00:00:00Z' } }));
    await client.send(new DescribeJobLogItemsCommand({ jobID }));
    await client.send(new DescribeJobLogItemsCommand({ jobID: terminate.job?.jobID as string }));
  });

  afterAll(async () => {
    client.destroy();
    await sim.stop();
  });

  it('answered every operation, every error of the model and a lost response (the flow is not blind)', () => {
    const operations = new Set(exchanges.map((e) => e.operation));
    expect([...operations].sort()).toEqual([
      'DescribeJobLogItems',
      'DescribeJobs',
      'DescribeRecoveryInstances',
      'DescribeSourceServers',
      'StartRecovery',
      'TerminateRecoveryInstances',
    ]);
    expect(new Set(exchanges.map((e) => e.errorType).filter((e) => e !== undefined))).toEqual(
      new Set(DRS_MODEL_ERRORS),
    );
    const events = new Set(
      exchanges.flatMap((e) =>
        e.operation === 'DescribeJobLogItems' && e.errorType === undefined
          ? ((e.body as { items: { event: string }[] }).items ?? []).map((item) => item.event)
          : [],
      ),
    );
    expect([...events].sort()).toEqual(
      [
        'CLEANUP_END',
        'CLEANUP_START',
        'CONVERSION_END',
        'CONVERSION_START',
        'JOB_END',
        'JOB_START',
        'LAUNCH_FAILED',
        'LAUNCH_START',
        'SERVER_SKIPPED',
        'SNAPSHOT_END',
        'SNAPSHOT_FAIL',
        'SNAPSHOT_START',
        'USING_PREVIOUS_SNAPSHOT',
      ].sort(),
    );
    const runs = JSON.stringify(exchanges.filter((e) => e.operation === 'DescribeJobs').map((e) => e.body));
    expect(runs).toContain('"failureReason"');
    expect(exchanges.some((e) => e.lost === undefined && e.errorType === 'InternalServerException')).toBe(true);
  });

  it('gives responses, errors and status codes that fit the model', () => {
    const problems = exchanges.flatMap((exchange) =>
      exchangeProblems(exchange).map((problem) => `${exchange.operation} #${exchanges.indexOf(exchange)}: ${problem}`),
    );
    expect(problems).toEqual([]);
  });
});
