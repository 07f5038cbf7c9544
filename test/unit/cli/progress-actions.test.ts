import { ProgressDisplay } from '../../../cli/progress';
import { renderFrame } from '../../../cli/progress-frame';
import { ProgressModel } from '../../../cli/progress-model';
import type { ProgressEvent } from '../../../functions/shared/progress-event';

const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1) + seconds * 1000);
const action = (
  name: string,
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED',
  seconds: number,
  message?: string,
): ProgressEvent => ({
  type: 'wave-action',
  index: 0,
  wave: 'Web',
  name,
  phase: 'POST',
  status,
  ...(message ? { message } : {}),
  at: at(seconds),
});

const EVENTS: ProgressEvent[] = [
  { type: 'execution-started', executionId: 'shop-drill', at: at(0), waves: [{ index: 0, name: 'Web', servers: 2 }] },
  { type: 'wave-started', index: 0, name: 'Web', jobId: 'drsjob-00000000000000001', at: at(0) },
  { type: 'wave-polled', index: 0, name: 'Web', status: 'LAUNCHING', counts: { LAUNCHED: 2 }, at: at(300) },
  action('Smoke test', 'RUNNING', 300),
  action('Smoke test', 'FAILED', 345, 'HTTP 503 from /health'),
];

describe('wave actions in the progress display', () => {
  it('writes each action as a line of its own in a pipe: running, then failed with its message', () => {
    const written: string[] = [];
    const display = new ProgressDisplay({ isTTY: false, write: (text: string) => written.push(text) > 0 });

    for (const event of EVENTS) display.onEvent(event);

    const lines = written.join('').trimEnd().split('\n');
    expect(lines.slice(-2)).toEqual([
      '        post-wave action  Smoke test  running  t+00:05:00',
      '        post-wave action  Smoke test  failed: HTTP 503 from /health  t+00:05:45',
    ]);
  });

  it("shows a running wave's actions under it in the terminal frame, the latest state of each", () => {
    const model = new ProgressModel();
    for (const event of EVENTS.slice(0, 4)) model.apply(event);
    model.apply(action('Warm caches', 'RUNNING', 320));
    model.apply(action('Smoke test', 'SUCCEEDED', 330, 'ok'));

    const frame = renderFrame(model, { columns: 120, rows: 10 });

    expect(frame.slice(-3)).toEqual([
      expect.stringMatching(/^ {2}wave 1\/1 {2}Web +LAUNCHING +2 LAUNCHED/),
      '        post-wave action  Smoke test  succeeded: ok  t+00:05:30',
      '        post-wave action  Warm caches  running  t+00:05:20',
    ]);
  });
});
