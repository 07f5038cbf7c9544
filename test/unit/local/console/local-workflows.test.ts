import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { LocalWorkflows, type RunWorkflow } from '../../../../local/console/local-workflows';
import { LOCAL_STATE_MACHINE_ARN } from '../../../../local/step-functions';

const clock = { now: () => new Date('2026-01-01T00:00:00Z') };
const start = (name: string) =>
  new StartExecutionCommand({ stateMachineArn: LOCAL_STATE_MACHINE_ARN, name, input: '{"planId":"p"}' });

describe('LocalWorkflows (Step Functions for the API on the local console server)', () => {
  it('runs a started execution in the background and describes it RUNNING, then as it ended', async () => {
    let finish: (() => void) | undefined;
    const run: RunWorkflow = ({ input }) => {
      expect(input).toEqual({ planId: 'p' });
      return new Promise((resolve) => {
        finish = () => resolve({ status: 'FAILED', error: 'WaveFailed', cause: 'wave 2' });
      });
    };
    const workflows = new LocalWorkflows(run, clock);

    const { executionArn } = await workflows.send(start('e1'));
    expect((await workflows.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    finish?.();
    await workflows.settled();
    expect(await workflows.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({
      status: 'FAILED',
      error: 'WaveFailed',
      cause: 'wave 2',
    });
  });

  it('refuses a second start of the same name, as Step Functions does', async () => {
    const workflows = new LocalWorkflows(async () => ({ status: 'SUCCEEDED' }), clock);
    await workflows.send(start('e1'));

    await expect(workflows.send(start('e1'))).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await workflows.settled();
  });

  it('aborts the run on StopExecution, and knows no execution it never started', async () => {
    const run: RunWorkflow = ({ signal }) =>
      new Promise((resolve) => signal.addEventListener('abort', () => resolve({ status: 'ABORTED' })));
    const workflows = new LocalWorkflows(run, clock);
    const { executionArn } = await workflows.send(start('e1'));

    await workflows.send(new StopExecutionCommand({ executionArn }));
    await workflows.settled();

    expect((await workflows.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('ABORTED');
    await expect(
      workflows.send(new StopExecutionCommand({ executionArn: `${executionArn}-other` })),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
  });
});

describe("LocalWorkflows and a gate's decision", () => {
  it('passes SendTaskSuccess and SendTaskFailure to the task tokens every execution waits on', async () => {
    const sent: unknown[] = [];
    const workflows = new LocalWorkflows(
      async () => ({ status: 'SUCCEEDED' }),
      clock,
      LOCAL_STATE_MACHINE_ARN,
      () => {},
      {
        send: async (command) => sent.push(command.input),
      },
    );

    await workflows.send(new SendTaskSuccessCommand({ taskToken: 't1', output: '{}' }));
    await workflows.send(new SendTaskFailureCommand({ taskToken: 't2', error: 'ApprovalRejected', cause: 'no' }));

    expect(sent).toEqual([
      { taskToken: 't1', output: '{}' },
      { taskToken: 't2', error: 'ApprovalRejected', cause: 'no' },
    ]);
  });
});
