import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sourceServerLaunchResultEvent } from '../support/drs-events';

/** The DRS EventBridge event the orchestrator will consume, against its documented shape (the fixture names its source). */
const fixture = JSON.parse(
  readFileSync(
    join(__dirname, '..', 'fixtures', 'drs-model', 'events', 'drs-source-server-launch-result.json'),
    'utf8',
  ),
) as {
  documented: { 'detail-type': string; source: string; detail: { state: string[]; 'is-drill': string[] } };
  samples: Record<string, unknown>[];
};
const [succeeded, failed] = fixture.samples as [Record<string, unknown>, Record<string, unknown>];
const withDetail = (detail: object) => ({ ...succeeded, detail: { ...(succeeded.detail as object), ...detail } });

describe('the DRS Source Server Launch Result event', () => {
  it('accepts the documented samples, success and failure, drill and recovery', () => {
    for (const sample of fixture.samples) expect(sourceServerLaunchResultEvent.safeParse(sample).error).toBeUndefined();
    expect(sourceServerLaunchResultEvent.parse(failed).detail).toEqual({
      state: 'RECOVERY_LAUNCH_FAILED',
      'job-id': 'drsjob-a1feef7ac8cea2d4e',
      'is-drill': 'FALSE',
    });
  });

  it('has exactly the documented detail-type, source and detail values', () => {
    const shape = sourceServerLaunchResultEvent.shape;
    expect(shape['detail-type'].value).toBe(fixture.documented['detail-type']);
    expect(shape.source.value).toBe(fixture.documented.source);
    expect(shape.detail.shape.state.options).toEqual(fixture.documented.detail.state);
    expect(shape.detail.shape['is-drill'].options).toEqual(fixture.documented.detail['is-drill']);
  });

  it.each([
    ['a launch status instead of the event state', { state: 'LAUNCHED' }],
    ['is-drill as a JSON boolean (DRS sends the strings TRUE and FALSE)', { 'is-drill': true }],
    ['a job ID that is not DRS’s', { 'job-id': 'job-1' }],
    ['a camel-cased job ID member', { jobID: 'drsjob-a1feef7ac8cea2d4e' }],
  ])('rejects %s', (_what, detail) => {
    expect(sourceServerLaunchResultEvent.safeParse(withDetail(detail)).success).toBe(false);
  });

  it('rejects an event whose resource is not a source server', () => {
    const event = {
      ...succeeded,
      resources: ['arn:aws:drs:us-east-1:123456789012:recovery-instance/i-0123456789abcdef0'],
    };
    expect(sourceServerLaunchResultEvent.safeParse(event).success).toBe(false);
  });
});
