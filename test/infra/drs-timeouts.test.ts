import type { CfnElement } from 'aws-cdk-lib';
import { DRS_READ_MAX_ATTEMPTS, DRS_TIMEOUTS } from '../../functions/shared/clients';
import type { OrchestratorFunction } from '../../infra/constructs/orchestrator-function';
import { WORKFLOW_TASKS } from '../../infra/constructs/task-functions';
import { resourcesOf, synthesize } from './synth';

/**
 * The DRS clients' timeouts (functions/shared/clients.ts) against the deployed functions' timeouts:
 * a DRS call that never answers must fail while its function still has the time to act on it.
 */
const { stack, template } = synthesize();
const functions = resourcesOf(template, 'AWS::Lambda::Function');
const timeoutSecondsOf = (fn: OrchestratorFunction) =>
  functions[stack.getLogicalId(fn.function.node.defaultChild as CfnElement)]?.Properties.Timeout as number;

const tasksWhere = (rule: (task: (typeof WORKFLOW_TASKS)[string]) => boolean | undefined) =>
  Object.entries(WORKFLOW_TASKS)
    .filter(([, task]) => rule(task))
    .map(([placeholder]): [string, OrchestratorFunction] => [
      placeholder,
      stack.tasks.functions[placeholder] as OrchestratorFunction,
    ]);
/** Every function that calls DRS: the tasks with DRS actions, and the API (its start route checks the plan). */
const drsReaders = [...tasksWhere((task) => task.drsActions !== undefined), ['Api', stack.api.handler] as const];
const starters = tasksWhere((task) => task.launchesRecovery);

describe('the DRS client timeouts', () => {
  it('leave a function that starts recovery three quarters of its time after a StartRecovery that never answers', () => {
    expect(starters.map(([name]) => name)).toEqual(['StartWaveFunctionArn']);
    for (const [name, fn] of starters) {
      const startMs = DRS_TIMEOUTS.connectionMs + DRS_TIMEOUTS.startRequestMs;
      expect({ name, startMs, withinAQuarter: startMs <= (timeoutSecondsOf(fn) * 1000) / 4 }).toEqual({
        name,
        startMs,
        withinAQuarter: true,
      });
    }
  });

  it("end a DRS read, with every SDK attempt, within three quarters of the reading function's time", () => {
    expect(drsReaders.length).toBeGreaterThanOrEqual(4);
    const readMs = DRS_READ_MAX_ATTEMPTS * (DRS_TIMEOUTS.connectionMs + DRS_TIMEOUTS.readRequestMs);
    for (const [name, fn] of drsReaders) {
      const timeoutMs = timeoutSecondsOf(fn) * 1000;
      expect({ name, readMs, withinThreeQuarters: readMs <= (timeoutMs * 3) / 4 }).toEqual({
        name,
        readMs,
        withinThreeQuarters: true,
      });
    }
  });
});
