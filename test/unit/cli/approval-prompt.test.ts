import { PassThrough } from 'node:stream';
import { terminalApprover } from '../../../cli/approval-prompt';
import type { OpenGate } from '../../../local/approvals';

const START = new Date('2026-01-01T00:00:00Z');
const GATE: OpenGate = {
  executionId: 'gated-drill-1',
  index: 1,
  name: 'Application servers',
  message: 'Databases are up',
  timeoutAt: new Date('2026-01-01T04:00:00Z'),
  taskToken: 'tok',
};

function terminal() {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (chunk) => {
    shown += String(chunk);
  });
  return { input, output, shown: () => shown };
}

describe('terminalApprover', () => {
  it('asks Approve or Reject (again after an answer it does not know), then a comment', async () => {
    const t = terminal();
    const answer = terminalApprover(t, () => START)(GATE);
    t.input.write('maybe\n');
    t.input.write('r\n');
    t.input.write('  not before the change window  \n');

    await expect(answer).resolves.toEqual({ decision: 'REJECT', comment: 'not before the change window' });
    expect(t.shown()).toContain("Wave 2 'Application servers' awaits approval (until t+04:00:00): Databases are up");
    expect(t.shown().match(/Approve or Reject\? \[a\/r\]/g)).toHaveLength(2);
  });

  it('approves with no comment', async () => {
    const t = terminal();
    const answer = terminalApprover(t, () => START)(GATE);
    t.input.write('approve\n\n');
    await expect(answer).resolves.toEqual({ decision: 'APPROVE' });
  });

  it('gives no decision when the terminal closes (the gate then waits to its timeout)', async () => {
    const t = terminal();
    const answer = terminalApprover(t, () => START)(GATE);
    t.input.end();
    await expect(answer).rejects.toThrow('the terminal closed before a decision');
  });
});
