import type { CleanupWorkflowInput, CleanupWorkflows } from '../functions/shared/cleanup-schedule';
import { type EngineEnding, LocalEngine } from './engine';
import type { SimulatedClock } from './simulated-clock';
import type { LocalTaskDeps } from './task-functions';
import { CLEANUP_WORKFLOW } from './task-functions';

/** A run of the cleanup workflow on the local stack, as Step Functions would hold it. */
export interface LocalCleanupRun {
  name: string;
  arn: string;
  input: CleanupWorkflowInput;
  /** PENDING until the stack runs it; STOPPED when a cleanup on demand stopped it first. */
  state: 'PENDING' | 'STOPPED' | 'ENDED';
  ending?: EngineEnding;
  /** How many times each Task state's code ran. */
  taskCalls?: Record<string, number>;
}

const STATE_MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:drs-orchestrator-local-cleanup';

/**
 * The cleanup workflow as the local stack runs it: `start` keeps a run (as StartExecution does,
 * once per name), `stop` marks it stopped, and the stack runs the kept runs in the local engine,
 * the deployed `statemachine/drill-cleanup.asl.json` with its real task code, the Wait until
 * `scheduledFor` moving the simulated clock. A run on demand is run at once by the stack; a
 * scheduled one when the stack is asked to (the process of a local drill ends before it is due).
 */
export class LocalCleanupWorkflows implements CleanupWorkflows {
  readonly runs = new Map<string, LocalCleanupRun>();

  constructor(
    private readonly deps: () => LocalTaskDeps,
    private readonly clock: SimulatedClock,
  ) {}

  async start(name: string, input: CleanupWorkflowInput): Promise<string> {
    const existing = this.runs.get(name);
    if (existing) return existing.arn;
    const arn = `${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:${name}`;
    this.runs.set(name, { name, arn, input, state: 'PENDING' });
    return arn;
  }

  async stop(runArn: string): Promise<void> {
    const run = [...this.runs.values()].find((r) => r.arn === runArn);
    if (run?.state === 'PENDING') run.state = 'STOPPED';
  }

  /**
   * Runs the kept runs of one kind to their end, in the order they were started: `on-demand` ones
   * (no wait), or `scheduled` ones (each waits, in simulated time, until its `scheduledFor`).
   * `evenIfStopped`: also a stopped one, as a run whose stop came too late would still run.
   */
  async runPending(
    kind: 'on-demand' | 'scheduled',
    options: { evenIfStopped?: boolean } = {},
  ): Promise<LocalCleanupRun[]> {
    const due = [...this.runs.values()].filter(
      (run) =>
        (run.state === 'PENDING' || (options.evenIfStopped && run.state === 'STOPPED')) &&
        (kind === 'scheduled') === (run.input.scheduledFor !== undefined),
    );
    for (const run of due) {
      const engine = new LocalEngine(this.deps(), this.clock, { input: run.input, workflow: CLEANUP_WORKFLOW });
      run.ending = await engine.run(run.input, run.name, run.arn);
      await engine.settle();
      run.taskCalls = engine.taskCalls;
      run.state = 'ENDED';
    }
    return due;
  }
}
