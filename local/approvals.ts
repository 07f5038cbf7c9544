import type { RequestApprovalEvent } from '../functions/request-approval/request-approval';
import { type ApprovedOutput, sfnDecisionDelivery, type TaskTokenClient } from '../functions/shared/approval-delivery';
import type { ExecutionStore } from '../functions/shared/execution-store';
import { logger } from '../functions/shared/observability';
import type { ProgressEvent } from '../functions/shared/progress-event';
import type { ApprovalDecision } from '../functions/shared/records/approval-record';
import type { ApprovalEntry } from './approval-scenario';
import type { SimulatedClock } from './simulated-clock';
import type { TaskTokens } from './task-tokens';
import type { TokenWaitHooks } from './token-wait-states';

/** A gate as it opens in a local drill. */
export interface OpenGate {
  executionId: string;
  index: number;
  name: string;
  message?: string;
  timeoutAt: Date;
  /** This attempt's token (tests use it to send a stale decision). */
  taskToken: string;
}

/** A person's answer at a prompt. */
export interface PromptAnswer {
  decision: ApprovalDecision;
  comment?: string;
  by?: string;
}

/** Who decides at a local drill's gates, in this order: the scenario, --auto-approve, a person at a prompt; else nobody (the timeout). */
export interface LocalApprovals {
  scenario?: Record<string, ApprovalEntry>;
  autoApprove?: boolean;
  /** Asks a person (the CLI on a terminal); simulated time holds while they answer. */
  ask?: (gate: OpenGate) => Promise<PromptAnswer>;
  /** Told of each gate as it opens, after the drill's own decider is set up (tests). */
  onGate?: (gate: OpenGate) => void;
}

export const AUTO_APPROVER = 'drs-orchestrator run --auto-approve';
const PROMPT_APPROVER = 'local operator (terminal prompt)';

/**
 * The gates of a local drill: a gate that opens (the gate task returned, its token waits) is shown
 * and decided as `approvals` says, through the same decision module the API uses
 * (`ExecutionStore.decideApproval`, SendTask* on the local Step Functions); how it closed is shown.
 */
export function approvalHooks(args: {
  store: ExecutionStore;
  sfn: TaskTokenClient;
  tokens: TaskTokens;
  clock: SimulatedClock;
  approvals: LocalApprovals;
  onProgress: (event: ProgressEvent) => void;
}): TokenWaitHooks {
  const { store, sfn, tokens, clock, approvals, onProgress } = args;
  const decided = new Map<string, { by: string; comment?: string }>();
  const delivery = sfnDecisionDelivery(sfn);
  const decide = async (gate: OpenGate, answer: PromptAnswer & { by: string }) => {
    decided.set(gate.taskToken, { by: answer.by, ...(answer.comment ? { comment: answer.comment } : {}) });
    try {
      await store.decideApproval(delivery, {
        executionId: gate.executionId,
        waveIndex: gate.index,
        decision: answer.decision,
        by: answer.by,
        ...(answer.comment ? { comment: answer.comment } : {}),
        at: clock.now(),
      });
    } catch (error) {
      // As the API would answer it (409): the drill goes on, the gate waits on or has ended.
      logger.warn(
        `decision ${answer.decision} on wave ${gate.index + 1} '${gate.name}' not taken: ${(error as Error).message}`,
      );
    }
  };
  return {
    onTokenWait: ({ token, payload, timeoutAt }) => {
      const event = payload as RequestApprovalEvent;
      // Only the approval gate's waits: "Wait for launch" waits on a token too.
      if (!event?.wave?.approval) return;
      const gate: OpenGate = {
        executionId: event.executionId,
        index: event.wave.index,
        name: event.wave.name,
        ...(event.wave.approval.message ? { message: event.wave.approval.message } : {}),
        timeoutAt,
        taskToken: token,
      };
      onProgress({
        type: 'gate-opened',
        index: gate.index,
        name: gate.name,
        ...(gate.message ? { message: gate.message } : {}),
        timeoutAt,
        at: clock.now(),
      });
      const entry = approvals.scenario?.[gate.name];
      if (entry) {
        tokens.schedule(new Date(clock.now().getTime() + entry.afterSeconds * 1000), () => decide(gate, entry));
      } else if (approvals.autoApprove) {
        tokens.schedule(clock.now(), () => decide(gate, { decision: 'APPROVE', by: AUTO_APPROVER }));
      } else if (approvals.ask) {
        const ask = approvals.ask;
        void tokens.hold(async () => {
          try {
            const answer = await ask(gate);
            await decide(gate, { ...answer, by: answer.by ?? PROMPT_APPROVER });
          } catch (error) {
            // No answer (the terminal closed): the gate waits on, to its timeout.
            logger.warn(
              `no decision at the prompt for wave ${gate.index + 1} '${gate.name}': ${(error as Error).message}`,
            );
          }
        });
      }
      approvals.onGate?.(gate);
    },
    onTokenWaitEnded: ({ token, payload, outcome }) => {
      const event = payload as RequestApprovalEvent;
      if (!event?.wave?.approval) return;
      const known = decided.get(token);
      const base = { type: 'gate-closed' as const, index: event.wave.index, name: event.wave.name, at: clock.now() };
      if ('output' in outcome) {
        const output = outcome.output as Partial<ApprovedOutput>;
        onProgress({
          ...base,
          decision: 'APPROVE',
          by: output.by ?? known?.by ?? 'unknown',
          ...(output.comment ? { comment: output.comment } : {}),
        });
      } else if (outcome.error === 'ApprovalRejected') {
        onProgress({
          ...base,
          decision: 'REJECT',
          by: known?.by ?? 'unknown',
          ...(known?.comment ? { comment: known.comment } : {}),
        });
      } else if (outcome.error === 'States.Timeout') {
        onProgress({ ...base, decision: 'TIMED_OUT' });
      }
    },
  };
}
