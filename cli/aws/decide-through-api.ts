import type { ExecutionResult } from '../../functions/shared/types';
import { BadInput } from '../exit-codes';
import { apiPath, type OrchestratorApiClient } from './api-client';
import { refusal } from './start-through-api';

export interface ApprovalRequest {
  executionId: string;
  /** The wave's index from 0; absent: the one wave awaiting approval. */
  wave?: number;
  decision: 'APPROVE' | 'REJECT';
  comment?: string;
}

/**
 * A gate's decision through the API (SigV4, the caller's own credentials, so the decision records
 * their IAM principal): the wave is the one named, or the execution's one wave AWAITING_APPROVAL.
 * The API's refusals (404 unknown, 409 not awaiting or the gate closed, 400, 403) are exit 2.
 */
export async function decideThroughApi(
  api: OrchestratorApiClient,
  request: ApprovalRequest,
): Promise<{ waveIndex: number; approval: Record<string, unknown> }> {
  const waveIndex = request.wave ?? (await awaitingWave(api, request.executionId));
  const path = apiPath('executions', request.executionId, 'waves', String(waveIndex), 'approval');
  const answer = await api.send('POST', path, {
    body: { decision: request.decision, ...(request.comment ? { comment: request.comment } : {}) },
  });
  if (answer.status !== 200) {
    throw refusal(
      answer,
      `POST /${path}`,
      'deciding a gate needs the drill or recovery operator policy (stack outputs DrillOperatorPolicyArn, RecoveryOperatorPolicyArn)',
    );
  }
  const body = answer.body as { approval: Record<string, unknown> };
  return { waveIndex, approval: body.approval };
}

async function awaitingWave(api: OrchestratorApiClient, executionId: string): Promise<number> {
  const path = apiPath('executions', executionId);
  const answer = await api.send('GET', path);
  if (answer.status !== 200) throw refusal(answer, `GET /${path}`);
  const result = answer.body as ExecutionResult;
  const awaiting = result.waves.filter((wave) => wave.status === 'AWAITING_APPROVAL');
  const [only] = awaiting;
  if (!only) {
    throw new BadInput(
      `execution ${executionId} has no wave awaiting approval (it is ${result.status}; waves: ${result.waves.map((w) => `${w.index} ${w.status}`).join(', ')})`,
    );
  }
  return only.index;
}
