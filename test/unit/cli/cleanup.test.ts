import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { startDeployedStack, T0 } from '../../support/deployed-stack';
import { threeWavePlan } from '../../support/store';

const cfn = mockClient(CloudFormationClient);
const sfn = mockClient(SFNClient);

/** `drs-orchestrator cleanup <executionId> --aws`, through the deployed API, signed and checked by IAM. */
describe('cleanup --aws', () => {
  let stack: Awaited<ReturnType<typeof startDeployedStack>>;

  beforeAll(async () => {
    stack = await startDeployedStack({ cfn, sfn });
  });
  afterAll(async () => stack.stop());
  beforeEach(async () => stack.fresh());

  async function ended(executionId: string, executionType: 'DRILL' | 'RECOVERY') {
    await stack.executions.createExecution({ executionId, plan: threeWavePlan(), executionType, startedAt: T0 });
    await stack.executions.failExecution({
      executionId,
      status: 'FAILED',
      error: 'WaveFailed',
      cause: 'x',
      endedAt: T0,
    });
  }

  it('starts the cleanup of an ended drill (exit 0), then says there is nothing to do (exit 0, nothing started)', async () => {
    stack.signedInAs('read', 'drill', 'recovery');
    await ended('drill-1', 'DRILL');

    expect(await stack.cli('cleanup', 'drill-1', '--aws')).toBe(0);
    expect(stack.calls()).toEqual(['POST /executions/drill-1/cleanup']);
    expect(stack.output.stdout).toContain('drill-1: cleanup of drill-1 started');
    expect(stack.output.stdout).toContain("Cleanup: RUNNING (terminating the drill's recovery instances)");
    expect(stack.cleanupRuns).toHaveLength(1);

    expect(await stack.cli('cleanup', 'drill-1', '--aws', '--json')).toBe(0);
    expect(JSON.parse(stack.output.stdout.slice(stack.output.stdout.indexOf('{')))).toMatchObject({
      started: false,
      message: expect.stringMatching(/^nothing to do: the cleanup is already RUNNING/),
      cleanup: { status: 'RUNNING' },
    });
    expect(stack.cleanupRuns).toHaveLength(1);
  });

  it('exits 2 for a RECOVERY (409), naming why, starting nothing', async () => {
    stack.signedInAs('read', 'drill', 'recovery');
    await ended('recovery-1', 'RECOVERY');

    expect(await stack.cli('cleanup', 'recovery-1', '--aws')).toBe(2);
    expect(stack.output.stderr).toContain('POST /executions/recovery-1/cleanup answered 409');
    expect(stack.output.stderr).toContain("only a DRILL's recovery instances are ever terminated");
    expect(stack.cleanupRuns).toEqual([]);
  });

  it('exits 2 for an unknown execution (404), and for a drill operator IAM refuses (403)', async () => {
    stack.signedInAs('read', 'drill', 'recovery');
    expect(await stack.cli('cleanup', 'nope', '--aws')).toBe(2);
    expect(stack.output.stderr).toContain('there is no execution nope');

    stack.signedInAs('read', 'drill');
    await ended('drill-2', 'DRILL');
    expect(await stack.cli('cleanup', 'drill-2', '--aws')).toBe(2);
    expect(stack.output.stderr).toContain('answered 403');
    expect(stack.output.stderr).toContain('recovery operator policy');
    expect(stack.cleanupRuns).toEqual([]);
  });
});
