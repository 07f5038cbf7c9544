import { validatePlan } from '../../../functions/shared/plan-rules';
import { missedTargets, rpoMet, rtoCheck, waveTargetMet } from '../../../functions/shared/targets';

const S = '2026-01-01T00:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(S) + minutes * 60_000).toISOString();
const plan = (extra: Record<string, unknown>, wave: Record<string, unknown> = {}) => ({
  planId: 'p',
  waves: [{ name: 'A', sourceServerIDs: ['s-00000000000000001'], ...wave }],
  ...extra,
});

describe('plan targets', () => {
  it('accepts whole minutes for rtoMinutes, rpoMinutes and a wave targetMinutes', () => {
    const valid = validatePlan(plan({ rtoMinutes: 30, rpoMinutes: 15 }, { targetMinutes: 10 }));

    expect(valid).toMatchObject({ rtoMinutes: 30, rpoMinutes: 15, waves: [{ targetMinutes: 10 }] });
  });

  it('fails naming every target that is not a whole number of minutes in range', () => {
    expect(() => validatePlan(plan({ rtoMinutes: 1.5, rpoMinutes: 0 }, { targetMinutes: '10' }))).toThrow(
      /rtoMinutes: rtoMinutes must be a whole number of minutes \(got 1.5\).*rpoMinutes: rpoMinutes must be between 1 and 10080 minutes \(got 0\).*waves\[0\]\.targetMinutes: targetMinutes must be a number \(got "10"\)/s,
    );
  });
});

describe('rtoCheck', () => {
  const waves = [{ endedAt: at(12) }, { endedAt: at(25) }];

  it('times an execution that did not complete to its end, not to its last wave verdict (a gate that waited counts)', () => {
    const rto = rtoCheck({ status: 'FAILED', startedAt: S, endedAt: at(242), rtoMinutes: 30 }, [{ endedAt: at(1) }]);
    expect(rto).toEqual({ targetMinutes: 30, actualSeconds: 242 * 60, met: false });
  });

  it('measures from the start to the last wave verdict and meets a target it is within', () => {
    const rto = rtoCheck({ status: 'COMPLETED', startedAt: S, endedAt: at(26), rtoMinutes: 30 }, waves);

    expect(rto).toEqual({ targetMinutes: 30, actualSeconds: 1500, met: true });
  });

  it('returns met false for a COMPLETED execution over its target', () => {
    expect(rtoCheck({ status: 'COMPLETED', startedAt: S, endedAt: at(26), rtoMinutes: 20 }, waves).met).toBe(false);
  });

  it('returns met false for an execution that did not complete, however fast', () => {
    expect(rtoCheck({ status: 'FAILED', startedAt: S, endedAt: at(2), rtoMinutes: 60 }, [{ endedAt: at(1) }]).met).toBe(
      false,
    );
  });

  it('returns met null without a target, and while a live execution is within it', () => {
    expect(rtoCheck({ status: 'COMPLETED', startedAt: S, endedAt: at(26) }, waves)).toEqual({
      targetMinutes: null,
      actualSeconds: 1500,
      met: null,
    });
    expect(rtoCheck({ status: 'POLLING', startedAt: S, rtoMinutes: 30 }, [], new Date(at(10))).met).toBeNull();
    expect(rtoCheck({ status: 'POLLING', startedAt: S, rtoMinutes: 30 }, [], new Date(at(31))).met).toBe(false);
  });
});

describe('waveTargetMet', () => {
  it('meets a target the wave came back within, and misses one it did not', () => {
    const wave = { status: 'COMPLETED', startedAt: S, endedAt: at(8) };

    expect(waveTargetMet({ ...wave, targetMinutes: 8 })).toBe(true);
    expect(waveTargetMet({ ...wave, targetMinutes: 7 })).toBe(false);
    expect(waveTargetMet({ ...wave, status: 'FAILED', targetMinutes: 60 })).toBe(false);
  });

  it('returns null without a target or for a wave that never started', () => {
    expect(waveTargetMet({ status: 'COMPLETED', startedAt: S, endedAt: at(8) })).toBeNull();
    expect(waveTargetMet({ status: 'NOT_STARTED', targetMinutes: 5 })).toBeNull();
  });
});

describe('rpoMet', () => {
  it('compares the oldest data age with the target, and is null without a target or data ages', () => {
    expect(rpoMet(5, 300, 2)).toBe(true);
    expect(rpoMet(5, 301, 2)).toBe(false);
    expect(rpoMet(undefined, 301, 2)).toBeNull();
    expect(rpoMet(5, 0, 0)).toBeNull();
  });
});

describe('missedTargets', () => {
  it('names every missed target', () => {
    const lines = missedTargets({
      rto: { targetMinutes: 20, actualSeconds: 1500, met: false },
      rpo: { maxDataAgeSeconds: 600, targetMinutes: 5, met: false },
      waves: [
        { index: 0, name: 'DB', targetMinutes: 5, targetMet: false },
        { index: 1, name: 'App', targetMinutes: 5, targetMet: true },
      ],
    });

    expect(lines).toEqual([
      'RTO target missed: 20 min allowed, the execution took 25m 00s',
      'RPO target missed: 5 min allowed, the oldest data launched was 10m 00s old',
      "wave 1 'DB' missed its target of 5 min",
    ]);
  });
});
