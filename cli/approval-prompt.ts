import { createInterface } from 'node:readline/promises';
import type { OpenGate, PromptAnswer } from '../local/approvals';
import { clockTime } from './format';

/** Where the prompt reads and writes: the terminal (a fake stream in tests). */
export interface PromptStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

/**
 * Asks a person at the terminal to decide a local drill's gate: Approve or Reject, then a comment.
 * Simulated time holds while they think (`TaskTokens.hold`). An answer other than a/approve or
 * r/reject is asked again; the stream ending (Ctrl-D) leaves the gate to its timeout.
 */
export function terminalApprover(streams: PromptStreams, start: () => Date | undefined) {
  return async (gate: OpenGate): Promise<PromptAnswer> => {
    const rl = createInterface({ input: streams.input, terminal: false });
    // Lines are read as they come (typed ahead or not), one per question.
    const lines = rl[Symbol.asyncIterator]();
    const ask = async (question: string) => {
      streams.output.write(question);
      const line = await lines.next();
      if (line.done) throw new Error('the terminal closed before a decision');
      return line.value;
    };
    try {
      const begun = start();
      const until = begun ? ` (until t+${clockTime(begun, gate.timeoutAt)})` : '';
      streams.output.write(
        `\nWave ${gate.index + 1} '${gate.name}' awaits approval${until}${gate.message ? `: ${gate.message}` : ''}\n`,
      );
      for (;;) {
        const answer = (await ask('Approve or Reject? [a/r] ')).trim().toLowerCase();
        const decision = ['a', 'approve'].includes(answer)
          ? 'APPROVE'
          : ['r', 'reject'].includes(answer)
            ? 'REJECT'
            : undefined;
        if (!decision) continue;
        const comment = (await ask('Comment (optional): ')).trim();
        return { decision, ...(comment ? { comment } : {}) };
      }
    } finally {
      rl.close();
    }
  };
}
