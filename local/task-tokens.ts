import { InvalidToken, TaskTimedOut } from '@aws-sdk/client-sfn';
import type { SimulatedClock } from './simulated-clock';

/** How a token's task ended, as Step Functions sees it. */
type Outcome = { kind: 'success'; output: unknown } | { kind: 'failure'; error: string; cause: string };

interface OpenToken {
  outcome?: Outcome;
  /** Set while a task waits on the token: its deadline (simulated) and how to end the wait. */
  waiter?: { deadline: number; settle: (outcome: Outcome | 'timeout') => void };
}

/** Something scheduled in simulated time: a scenario's decision after its `afterSeconds`. */
interface Scheduled {
  at: number;
  run: () => Promise<void>;
}

/** The error Step Functions fails a task with when its TimeoutSeconds passes. */
export class StatesTimeout extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'States.Timeout';
  }
}

/** A SendTaskFailure's error, as the waiting Task state fails with it (the name is what Retry/Catch match). */
class TaskFailure extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

/**
 * Step Functions' task tokens, which aws-local-stepfunctions lacks (`.waitForTaskToken`,
 * `$$.Task.Token`), emulated as AWS behaves:
 * - each read of `$$.Task.Token` (once per attempt of the task: a retry reads it again) mints a
 *   fresh token (`contextTask`);
 * - SendTaskSuccess's output becomes the task's result, SendTaskFailure fails it with its error;
 * - the task's TimeoutSeconds is honoured in simulated time: the wait fails with States.Timeout;
 * - a decision for a token whose task has ended (succeeded, failed, timed out, or its attempt
 *   crashed) is refused with TaskTimedOut, and one for a token never issued with InvalidToken.
 *
 * Nobody waits in real time: when every running task of the stack is waiting on a token (`busy`
 * counts the others), the simulated clock moves to the next scheduled decision or deadline. A
 * person answering a prompt `hold`s the clock while they think.
 */
export class TaskTokens {
  private minted = 0;
  private readonly open = new Map<string, OpenToken>();
  private readonly ended = new Set<string>();
  private readonly scheduled: Scheduled[] = [];
  private holds = 0;
  /** Task code running now (not waiting on a token), counted by the engines. */
  busy = 0;
  private pumping = false;

  /**
   * `pace` (the web console's paced clock): time runs by itself, so nothing jumps it. A token wait
   * lasts until its deadline comes at that pace (or a decision), and a scheduled decision runs when
   * its time comes; a gate with no decider waits visibly for a person's decision through the API.
   */
  constructor(
    private readonly clock: SimulatedClock,
    private readonly pace?: (seconds: number, signal?: AbortSignal) => Promise<void>,
  ) {}

  /** The context object's `Task`: `$$.Task.Token` mints a token on each read, as each attempt gets its own. */
  contextTask(): { readonly Token: string } {
    const mint = () => this.mint();
    return {
      get Token() {
        return mint();
      },
    };
  }

  /** The token minted last: a Task's Parameters read `$$.Task.Token` right before its handler runs. */
  lastMinted: string | undefined;

  mint(): string {
    this.minted++;
    // Opaque, as AWS's are; the count keeps a drill's output the same from run to run.
    const token = `AQCEAAAAKgAAAA${this.minted.toString(16).padStart(8, '0')}local`;
    this.open.set(token, {});
    this.lastMinted = token;
    return token;
  }

  /** Whether the token's task was already answered (SendTaskSuccess/Failure came while its invocation still ran). */
  answered(token: string): boolean {
    return this.open.get(token)?.outcome !== undefined;
  }

  /** The attempt holding this token ended without waiting (its Lambda invocation failed): the token is spent. */
  abandon(token: string): void {
    if (this.open.delete(token)) this.ended.add(token);
  }

  /**
   * Waits on the token until SendTaskSuccess (resolves with its output), SendTaskFailure (rejects
   * with its error) or `timeoutSeconds` of simulated time from `startedAt` (rejects States.Timeout).
   */
  async wait(token: string, timeoutSeconds: number, startedAt: Date, signal?: AbortSignal): Promise<unknown> {
    const entry = this.open.get(token);
    if (!entry) throw new Error(`task token ${token} was never issued or has ended`);
    const deadline = startedAt.getTime() + timeoutSeconds * 1000;
    const outcome = await new Promise<Outcome | 'timeout' | 'stopped'>((settle) => {
      if (entry.outcome) return settle(entry.outcome);
      // A stopped execution's wait ends too: the engine's own TimeoutSeconds timer for the task is cleared
      // only when the task settles, and a wait left pending kept the process alive after a StopExecution.
      if (signal?.aborted) return settle('stopped');
      signal?.addEventListener('abort', () => settle('stopped'), { once: true });
      if (this.pace) {
        // The pace ends early when the execution is stopped (its wait is left to it, not timed out) or the
        // token is answered (its timer is not kept).
        const answered = new AbortController();
        entry.waiter = {
          deadline,
          settle: (outcome) => {
            answered.abort();
            settle(outcome);
          },
        };
        const ends = signal ? AbortSignal.any([signal, answered.signal]) : answered.signal;
        void this.pace((deadline - this.clock.now().getTime()) / 1000, ends).then(() => {
          if (this.clock.now().getTime() >= deadline) settle('timeout');
        });
        return;
      }
      entry.waiter = { deadline, settle };
      void this.pump();
    });
    this.open.delete(token);
    this.ended.add(token);
    if (outcome === 'stopped') throw new ExecutionStopped();
    if (outcome === 'timeout') {
      throw new StatesTimeout(`the task waited ${timeoutSeconds} seconds for its token and timed out`);
    }
    if (outcome.kind === 'failure') throw new TaskFailure(outcome.error, outcome.cause);
    return outcome.output;
  }

  /** SendTaskSuccess: refused as AWS refuses it for an ended or unknown token. */
  succeed(token: string, output: string): void {
    this.close(token, { kind: 'success', output: JSON.parse(output) });
  }

  /** SendTaskFailure. */
  fail(token: string, error: string, cause: string): void {
    this.close(token, { kind: 'failure', error, cause });
  }

  /** Runs `run` when the simulated clock reaches `at` (a scenario's decision after `afterSeconds`). */
  schedule(at: Date, run: () => Promise<void>): void {
    if (this.pace) {
      void this.pace((at.getTime() - this.clock.now().getTime()) / 1000).then(run);
      return;
    }
    this.scheduled.push({ at: at.getTime(), run });
    this.scheduled.sort((a, b) => a.at - b.at);
    void this.pump();
  }

  /** Holds simulated time while `work` (a person answering a prompt) runs. */
  async hold<T>(work: () => Promise<T>): Promise<T> {
    this.holds++;
    try {
      return await work();
    } finally {
      this.holds--;
      void this.pump();
    }
  }

  private close(token: string, outcome: Outcome): void {
    const entry = this.open.get(token);
    if (!entry || entry.outcome) {
      const ended = this.ended.has(token) || entry?.outcome !== undefined;
      const message = ended
        ? 'Task Timed Out: the task of this token has already ended (succeeded, failed, timed out or retried)'
        : 'Invalid Token: no task was given this token';
      throw ended
        ? new TaskTimedOut({ message, $metadata: { httpStatusCode: 400 } })
        : new InvalidToken({ message, $metadata: { httpStatusCode: 400 } });
    }
    entry.outcome = outcome;
    entry.waiter?.settle(outcome);
  }

  /**
   * Moves the simulated clock while every running task waits on a token: to the next scheduled
   * decision or the earliest deadline, whichever comes first. One pump at a time.
   */
  private async pump(): Promise<void> {
    if (this.pumping || this.pace) return;
    this.pumping = true;
    try {
      for (;;) {
        if (!(await this.quiet())) return;
        const waiting = [...this.open.values()].filter((e) => e.waiter && !e.outcome);
        if (waiting.length === 0) return;
        const deadline = Math.min(...waiting.map((e) => e.waiter?.deadline ?? Number.POSITIVE_INFINITY));
        const next = this.scheduled[0];
        if (next && next.at <= deadline) {
          this.scheduled.shift();
          this.advanceTo(next.at);
          await next.run();
          continue;
        }
        this.advanceTo(deadline);
        for (const entry of waiting) {
          if (entry.waiter && entry.waiter.deadline <= deadline && !entry.outcome) entry.waiter.settle('timeout');
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  /** True once nothing but token waits runs for a few turns of the event loop; false while a person holds the clock. */
  private async quiet(): Promise<boolean> {
    for (let turns = 0; turns < 5; ) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.holds > 0) return false;
      turns = this.busy === 0 ? turns + 1 : 0;
    }
    return true;
  }

  private advanceTo(at: number): void {
    const seconds = (at - this.clock.now().getTime()) / 1000;
    if (seconds > 0) this.clock.advance(seconds);
  }
}

/** The execution was stopped while the task waited for its token (its result is discarded with the execution). */
export class ExecutionStopped extends Error {
  constructor() {
    super('the execution was stopped while the task waited for its token');
    this.name = 'ExecutionStopped';
  }
}
