import { summaryText } from '../../../cli/format';
import type { ExecutionResult } from '../../../functions/shared/types';

const result = (over: Partial<ExecutionResult> = {}): ExecutionResult => ({
  executionId: 'p-drill-1',
  planId: 'p',
  executionType: 'DRILL',
  status: 'COMPLETED',
  rto: { targetMinutes: 10, actualSeconds: 900, met: false },
  rpo: {
    maxDataAgeSeconds: 60,
    servers: [{ sourceServerID: 's-00000000000000001', dataAgeSeconds: 60 }],
    targetMinutes: 5,
    met: true,
  },
  warnings: [],
  waves: [
    {
      index: 0,
      name: 'DB',
      status: 'COMPLETED',
      dependsOn: [],
      failedServers: [],
      optionalFailedServers: [],
      targetMinutes: 5,
      targetMet: false,
    },
  ],
  ...over,
});

describe('summaryText targets', () => {
  it('names each missed target with the word MISSED, though the execution COMPLETED', () => {
    const text = summaryText(result(), { seconds: 900, simulated: true });

    expect(text).toContain('Result: COMPLETED');
    expect(text).toContain('RTO:    15m 00s against a target of 10 min: MISSED');
    expect(text).toContain(
      'RPO:    data up to 1m 00s (60 s) old (oldest: s-00000000000000001; 1 server) · target 5 min: met',
    );
    expect(text).toContain('Targets MISSED (2):');
    expect(text).toContain("  ! wave 1 'DB' missed its target of 5 min");
  });

  it('paints a missed target red on a terminal', () => {
    const text = summaryText(result(), { seconds: 900, simulated: true }, undefined, 200);

    expect(text).toContain('\x1b[31;1mMISSED\x1b[0m');
  });

  it('says there is no target and lists nothing missed when the plan sets none', () => {
    const text = summaryText(
      result({
        rto: { targetMinutes: null, actualSeconds: 900, met: null },
        rpo: { maxDataAgeSeconds: 0, servers: [] },
      }),
      { seconds: 900, simulated: true },
    );

    expect(text).toContain('RTO:    15m 00s (no target: rtoMinutes)');
    expect(text).not.toContain('RTO target missed');
  });
});
