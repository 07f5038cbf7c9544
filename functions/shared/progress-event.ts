/**
 * Progress of one execution as a person follows it: the execution started with its waves, a wave
 * got its DRS job, a wave's status or counts changed.
 *
 * Two followers produce these: the local runner (from the tasks' state output, in simulated time)
 * and the CLI's AWS follower (from successive readings of the records). It lives beside the result
 * shape (`types.ts`) because both already read that shape from here, and neither may own it: the
 * local runner must not import the CLI, and the AWS follower has no business importing `local/`.
 * No task imports it.
 */
export type ProgressEvent =
  | {
      type: 'execution-started';
      executionId: string;
      at: Date;
      /** In plan order; `dependsOn`: the waves each waits for, resolved (absent: not known, read as the previous wave). */
      waves: { index: number; name: string; servers: number; dependsOn?: string[] }[];
    }
  | { type: 'wave-started'; index: number; name: string; jobId: string; at: Date }
  | { type: 'wave-polled'; index: number; name: string; status: string; counts: Record<string, number>; at: Date }
  | { type: 'gate-opened'; index: number; name: string; message?: string; timeoutAt: Date; at: Date }
  | {
      type: 'gate-closed';
      index: number;
      name: string;
      decision: 'APPROVE' | 'REJECT' | 'TIMED_OUT';
      by?: string;
      comment?: string;
      at: Date;
    }
  | {
      type: 'wave-action';
      /** The wave's index and name. */
      index: number;
      wave: string;
      /** The action's name and phase. */
      name: string;
      phase: 'PRE' | 'POST';
      status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED';
      message?: string;
      at: Date;
    };
