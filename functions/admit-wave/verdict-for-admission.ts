import type { WaveVerdict } from '../shared/execution-ending';
import type { ExecutionStore } from '../shared/execution-store';

/**
 * Makes an ended iteration's verdict visible to admission, on the execution item (the authority):
 * a wave that ended without completing but whose claim does not say so (a rejected or timed-out
 * gate, a task error before its claim, or after it while it still holds room) would otherwise look
 * waiting or running, and its dependants would wait for it forever. Safe to repeat.
 */
export async function recordVerdictForAdmission(
  store: Pick<ExecutionStore, 'admissionWaves' | 'failUnlaunchedWave' | 'endWave'>,
  executionId: string,
  verdict: Pick<WaveVerdict, 'waveIndex' | 'status' | 'error' | 'failure'>,
  at: Date,
): Promise<void> {
  if (verdict.status === 'COMPLETED' || verdict.status === 'NOT_STARTED') return;
  const wave = (await store.admissionWaves(executionId)).find((w) => w.index === verdict.waveIndex);
  if (wave?.state === 'WAITING') await store.failUnlaunchedWave(executionId, verdict.waveIndex);
  if (wave?.state === 'ADMITTED') {
    const error = verdict.error ?? verdict.failure?.Error ?? 'an error';
    await store.endWave(
      executionId,
      verdict.waveIndex,
      { status: 'FAILED', failedServers: [], reason: `the wave ended with ${error} while it was launching` },
      at,
    );
  }
}
