import type { CleanupWorkflowInput } from '../../../../functions/shared/cleanup-schedule';
import { type CleanupHost, ConsoleCleanups } from '../../../../local/console/console-cleanups';

function host() {
  const calls: string[] = [];
  const h: CleanupHost & { calls: string[] } = {
    calls,
    cleanupWorkflows: {
      start: async (name: string) => {
        calls.push(`start ${name}`);
        return `arn:${name}`;
      },
      stop: async (arn: string) => {
        calls.push(`stop ${arn}`);
      },
      runPending: async (kind: 'on-demand' | 'scheduled') => {
        calls.push(`run ${kind}`);
        return [];
      },
    },
  };
  return h;
}

const input = (executionId: string, scheduledFor?: string): CleanupWorkflowInput => ({
  executionId,
  claimId: 'c',
  claimedBy: 'on-demand' as CleanupWorkflowInput['claimedBy'],
  ...(scheduledFor ? { scheduledFor } : {}),
});

describe('ConsoleCleanups (the cleanup workflow on the local console server)', () => {
  it('starts a run on demand on the stack the drill ran on and carries it out there; a scheduled one is only kept', async () => {
    const a = host();
    const b = host();
    const cleanups = new ConsoleCleanups(
      (id) => ({ a, b })[id],
      () => [a, b],
    );

    expect(await cleanups.start('now', input('a'))).toBe('arn:now');
    await cleanups.start('later', input('a', '2026-01-01T01:00:00Z'));
    await new Promise((resolve) => setImmediate(resolve));

    expect(a.calls).toEqual(['start now', 'run on-demand', 'start later']);
    expect(b.calls).toEqual([]);
  });

  it('refuses an execution that did not run on this console, and stops a run wherever it is kept', async () => {
    const a = host();
    const cleanups = new ConsoleCleanups(
      () => undefined,
      () => [a],
    );

    await expect(cleanups.start('now', input('elsewhere'))).rejects.toThrow(/did not run on this console/);
    await cleanups.stop('arn:x');
    expect(a.calls).toEqual(['stop arn:x']);
  });
});
