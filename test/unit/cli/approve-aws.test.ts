import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SendTaskFailureCommand, SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { main } from '../../../cli/main';
import { CALLER, DEADLINE, startDeployedStack, T0 } from '../../support/deployed-stack';

const cfn = mockClient(CloudFormationClient);
const sfn = mockClient(SFNClient);
const EXECUTION = 'gated-drill-20260101T000000-0000aa';
const PLAN = {
  planId: 'gated',
  name: 'Gated',
  pollIntervalSeconds: 30,
  waves: [
    { name: 'Databases', sourceServerIDs: ['s-0db00000000000001'], timeoutMinutes: 60 },
    { name: 'App', sourceServerIDs: ['s-0app0000000000001'], timeoutMinutes: 60, approval: { timeoutMinutes: 60 } },
  ],
};

/** `drs-orchestrator approve ...` through the deployed stack's API (SigV4, the test's operator). */
describe('approve --aws', () => {
  let stack: Awaited<ReturnType<typeof startDeployedStack>>;
  const output = { stdout: '', stderr: '' };

  async function approve(...args: string[]): Promise<number> {
    output.stdout = '';
    output.stderr = '';
    const listeners = process.stdout.listeners('error');
    const out = jest.spyOn(process.stdout, 'write').mockImplementation((text) => {
      output.stdout += String(text);
      return true;
    });
    const err = jest.spyOn(process.stderr, 'write').mockImplementation((text) => {
      output.stderr += String(text);
      return true;
    });
    try {
      return await main(['node', 'drs-orchestrator', 'approve', ...args]);
    } finally {
      out.mockRestore();
      err.mockRestore();
      process.exitCode = undefined;
      for (const listener of process.stdout.listeners('error')) {
        if (!listeners.includes(listener)) process.stdout.off('error', listener as (error: Error) => void);
      }
    }
  }

  beforeAll(async () => {
    stack = await startDeployedStack({ cfn, sfn });
  });
  afterAll(async () => stack.stop());
  beforeEach(async () => {
    await stack.fresh();
    const { executions } = stack;
    await executions.createExecution({ executionId: EXECUTION, plan: PLAN, executionType: 'DRILL', startedAt: T0 });
    await executions.claimWave(EXECUTION, 0, T0, DEADLINE);
    await executions.completeWave(
      EXECUTION,
      0,
      [{ sourceServerID: 's-0db00000000000001', launchStatus: 'LAUNCHED' }],
      T0,
    );
    await executions.openGate({
      executionId: EXECUTION,
      index: 1,
      taskToken: 'tok-1',
      requestedAt: T0,
      timeoutAt: DEADLINE,
    });
    sfn.on(SendTaskSuccessCommand).resolves({});
    sfn.on(SendTaskFailureCommand).resolves({});
  });

  it('approves the one wave awaiting approval, as the signed-in principal, with the comment', async () => {
    stack.signedInAs('read', 'drill');

    const code = await approve(EXECUTION, '--comment', 'DB checks green', '--aws');

    expect(code).toBe(0);
    expect(stack.calls()).toEqual([`GET /executions/${EXECUTION}`, `POST /executions/${EXECUTION}/waves/1/approval`]);
    expect(output.stdout).toContain(`Wave 1 of ${EXECUTION}: approved by ${CALLER}`);
    expect((await stack.executions.getWave(EXECUTION, 1)).approval).toMatchObject({
      decision: 'APPROVE',
      by: CALLER,
      comment: 'DB checks green',
    });
    expect(sfn).toHaveReceivedCommandWith(SendTaskSuccessCommand, { taskToken: 'tok-1' });
  });

  it('rejects the named wave with --reject', async () => {
    stack.signedInAs('read', 'drill');

    expect(await approve(EXECUTION, '--wave', '1', '--reject', '--aws')).toBe(0);
    expect(stack.calls()).toEqual([`POST /executions/${EXECUTION}/waves/1/approval`]);
    expect(sfn).toHaveReceivedCommandWith(SendTaskFailureCommand, { taskToken: 'tok-1', error: 'ApprovalRejected' });
  });

  it('exits 2 when the wave is not awaiting approval (409), naming why', async () => {
    stack.signedInAs('read', 'drill');
    await approve(EXECUTION, '--aws');

    const code = await approve(EXECUTION, '--wave', '1', '--reject', '--aws');

    expect(code).toBe(2);
    expect(output.stderr).toContain('answered 409');
    expect(output.stderr).toContain('APPROVE was already decided');
  });

  it('exits 2 without --aws, or with a --wave that is not an index, before any request', async () => {
    expect(await approve(EXECUTION)).toBe(2);
    expect(output.stderr).toContain('add --aws');
    expect(await approve(EXECUTION, '--wave', 'x1', '--aws')).toBe(2);
    expect(stack.calls()).toEqual([]);
  });
});
