import fc from 'fast-check';
import { isWaveJob, recoveryTags, TAG_PREFIX } from '../../../functions/start-wave/tags';

const wave = { executionId: 'exec-1', planId: 'three-tier', waveIndex: 0 };

describe('recoveryTags', () => {
  it('names the execution, the plan, the wave (counted from 1) and its name', () => {
    expect(recoveryTags({ ...wave, waveIndex: 2, waveName: 'App tier' })).toEqual({
      'drs-orchestrator:execution-id': 'exec-1',
      'drs-orchestrator:plan-id': 'three-tier',
      'drs-orchestrator:wave': '3',
      'drs-orchestrator:wave-name': 'App tier',
    });
    expect(TAG_PREFIX).toBe('drs-orchestrator:');
  });

  it('replaces characters a DRS tag value cannot hold, keeping the ones it can', () => {
    const tags = recoveryTags({ executionId: 'drill(1)', planId: 'p+=._:/@ -9', waveIndex: 0, waveName: 'Wave #1!' });
    expect(tags['drs-orchestrator:execution-id']).toBe('drill_1_');
    expect(tags['drs-orchestrator:plan-id']).toBe('p+=._:/@ -9');
    expect(tags['drs-orchestrator:wave-name']).toBe('Wave _1_');
  });

  it('never writes a value longer than the 256 characters DRS accepts, nor one DRS would refuse', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 600 }), fc.string({ maxLength: 600 }), (executionId, waveName) => {
        const tags = recoveryTags({ executionId, planId: 'p', waveIndex: 0, waveName });
        return Object.values(tags).every((value) => value.length <= 256 && /^[\p{L}\p{N} +\-=._:/@]*$/u.test(value));
      }),
    );
    const long = recoveryTags({ executionId: 'e'.repeat(300), planId: 'p', waveIndex: 0, waveName: 'w'.repeat(257) });
    expect(long['drs-orchestrator:execution-id']).toBe('e'.repeat(256));
    expect(long['drs-orchestrator:wave-name']).toBe('w'.repeat(256));
  });
});

describe('isWaveJob', () => {
  const tags: Record<string, string> = recoveryTags({ ...wave, waveName: 'Database' });

  it("recognises the wave's job by its tags as written, whatever the wave is called now", () => {
    expect(isWaveJob({ ...tags, 'drs-orchestrator:wave-name': 'renamed' }, wave)).toBe(true);
    const odd = { executionId: 'drill(1)', planId: 'three-tier', waveIndex: 4 };
    expect(isWaveJob(recoveryTags({ ...odd, waveName: 'x' }), odd)).toBe(true);
  });

  it('refuses a job whose execution, plan or wave tag differs, or is missing', () => {
    expect(isWaveJob(tags, { ...wave, executionId: 'exec-2' })).toBe(false);
    expect(isWaveJob(tags, { ...wave, planId: 'other' })).toBe(false);
    expect(isWaveJob(tags, { ...wave, waveIndex: 1 })).toBe(false);
    for (const key of ['execution-id', 'plan-id', 'wave']) {
      const { [`${TAG_PREFIX}${key}`]: _dropped, ...rest } = tags;
      expect(isWaveJob(rest, wave)).toBe(false);
    }
    expect(isWaveJob(undefined, wave)).toBe(false);
    expect(isWaveJob({}, wave)).toBe(false);
  });
});
