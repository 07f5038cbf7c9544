import type { ProgressEvent } from '../functions/shared/progress-event';
import { dependencyNamesOf } from '../functions/shared/wave-graph';
import type { AslState } from '../statemachine/definition';
import { localFunctionArn } from './task-functions';
import { recordedVerdict, waveActionProgress } from './wave-action-progress';

// The local engine's progress events (what the CLI and the console show as a drill runs), read from
// each task state's output as the engine's log reports it when the state exits.

/** What the plan in the execution input says of its waves: servers per wave and each wave's dependencies. */
export interface PlanWaves {
  servers: number[];
  dependencies: string[][];
}

/** The waves of an inline plan (`{ plan }`); a stored plan (`{ planId }`) leaves them unknown (empty). */
export function planWavesOf(input: unknown): PlanWaves {
  const waves = (input as { plan?: { waves?: { name?: string; sourceServerIDs?: unknown[]; dependsOn?: string[] }[] } })
    ?.plan?.waves;
  if (!Array.isArray(waves)) return { servers: [], dependencies: [] };
  return {
    servers: waves.map((w) => (Array.isArray(w?.sourceServerIDs) ? w.sourceServerIDs.length : 0)),
    // The plan was validated before any progress is reported.
    dependencies: dependencyNamesOf(waves.map((w) => ({ ...w, name: String(w?.name) }))),
  };
}

/** The fields of the tasks' state output that progress reporting reads. */
interface TaskStateOutput {
  executionId: string;
  waves: { index: number; name: string; servers?: number }[];
  wave: { index: number; name: string; postWaveActions?: number };
  progress: { jobId: string; status: string; counts: Record<string, number> };
}

/** The progress events a task state's output means, at `at` (none for a state that reports nothing). */
export function taskProgress(state: AslState, output: unknown, at: Date, plan: PlanWaves): ProgressEvent[] {
  const out = output as TaskStateOutput;
  // A caught failure also exits its state, with the error in place of the task's result.
  const caught = output as { failure?: unknown } | undefined;
  if (caught?.failure !== undefined) return [];
  if (state.Resource === localFunctionArn('BeginExecutionFunctionArn')) {
    return [
      {
        type: 'execution-started',
        executionId: out.executionId,
        at,
        waves: out.waves.map((w) => ({
          ...w,
          // The first task's count has the tag matches; the plan's own IDs are the fallback.
          servers: w.servers ?? plan.servers[w.index] ?? 0,
          ...(plan.dependencies[w.index] ? { dependsOn: plan.dependencies[w.index] } : {}),
        })),
      },
    ];
  }
  if (state.Resource === localFunctionArn('StartWaveFunctionArn')) {
    // A claim refused for room or for good is caught into $.refusal: nothing started, no job to report.
    if ((out as Partial<TaskStateOutput>).progress?.jobId === undefined) return [];
    return [{ type: 'wave-started', index: out.wave.index, name: out.wave.name, jobId: out.progress.jobId, at }];
  }
  if (state.Resource === localFunctionArn('ClassifyWaveFunctionArn')) {
    const status = recordedVerdict(out);
    return [
      { type: 'wave-polled', index: out.wave.index, name: out.wave.name, status, counts: out.progress.counts, at },
    ];
  }
  if (state.Resource === localFunctionArn('WaveActionsFunctionArn')) return waveActionProgress(state, output, at);
  return [];
}
