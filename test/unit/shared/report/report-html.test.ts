import { buildReport } from '../../../../functions/shared/report/report-facts';
import { reportHtml } from '../../../../functions/shared/report/report-html';
import { APP2, at, DRS_REASON, finishedDrill } from '../../../fixtures/report-records';

const NOW = new Date('2026-01-01T01:00:00.000Z');
const HOSTILE = `<script>alert("x")</script><img src=x onerror=alert(1)> & 'q'`;

function page(records = finishedDrill()): string {
  return reportHtml(buildReport(records, NOW));
}

describe('reportHtml', () => {
  it('escapes every value from the records: a hostile plan, wave and reason are shown, never run', () => {
    const records = finishedDrill(HOSTILE);
    (records.waves[0] as { name: string }).name = HOSTILE;
    records.execution.startedBy = HOSTILE;
    (records.waves[1] as { reason: string }).reason = `${APP2} FAILED - DRS: ${HOSTILE}`;

    const html = page(records);

    const escaped =
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &#39;q&#39;';
    expect(html).toContain(escaped);
    // Outside its escaped copies, nothing of the hostile text is left to run.
    const rest = html.split(escaped).join('');
    expect(rest).not.toMatch(/<script|<img|onerror/);
  });

  it('refers to nothing outside the page: no URL, no script, no external resource', () => {
    const html = page();

    expect(html).not.toMatch(/https?:|\/\/|<script|<link|\ssrc=|\shref=|@import|url\((?!#)/i);
    expect(html).toContain('<style>');
  });

  it('draws a bar per started wave and names every wave, with a launch mark per launched server', () => {
    const html = page();

    expect(html.match(/class="wave-bar"/g)).toHaveLength(2);
    expect(html.match(/class="launch-mark"/g)).toHaveLength(3);
    for (const name of ['Databases', 'Application servers', 'Web front end']) expect(html).toContain(name);
  });

  it('shows the verdict, the missed targets and each failed server with its DRS reason', () => {
    const html = page();

    expect(html).toMatch(/<p class="verdict bad" id="verdict">FAILED <span class="error">\(WaveFailed\)<\/span>/);
    expect(html).toContain(
      'RTO target missed: the execution ended FAILED after 14m 00s without recovering every wave (30 min allowed)',
    );
    expect(html).toContain('<span class="missed">MISSED</span>');
    expect(html).toMatch(new RegExp(`id="failed-servers".*${APP2}.*InsufficientInstanceCapacity`, 's'));
    expect(html).toContain(DRS_REASON);
    expect(html.match(/class="failed-mark"/g)).toHaveLength(1);
  });

  it('draws the approval wait and the wave actions when the records hold them', () => {
    const records = finishedDrill();
    Object.assign(records.waves[1] as object, {
      approval: { requestedAt: at(8.5), decision: 'APPROVED', by: 'bob', at: at(9), comment: 'go' },
      actions: [
        { name: 'quiesce', phase: 'PRE', status: 'SUCCEEDED', startedAt: at(8.5), endedAt: at(8.8) },
        {
          name: 'smoke test',
          phase: 'POST',
          status: 'FAILED',
          message: 'HTTP 500',
          startedAt: at(13),
          endedAt: at(14),
        },
      ],
    });

    const html = page(records);

    expect(html.match(/class="approval-wait"/g)).toHaveLength(1);
    expect(html.match(/class="action-bar"/g)).toHaveLength(2);
    expect(html).toContain('POST action <strong>smoke test</strong>: FAILED');
    expect(page()).not.toContain('class="approval-wait"');
  });

  it('says what was cleaned up, and that a drill without a cleanup record left its instances', () => {
    const records = finishedDrill();
    Object.assign(records.execution, {
      cleanup: {
        status: 'DONE',
        terminatedInstanceIDs: ['i-0db0000000000001a'],
        failed: [{ recoveryInstanceID: 'i-0db0000000000002a', reason: 'DRS refused' }],
      },
    });

    expect(page(records)).toMatch(
      /Status: <strong>DONE<\/strong>.*i-0db0000000000001a.*i-0db0000000000002a<\/code>: DRS refused/s,
    );
    expect(page()).toContain('its recovery instances were not terminated by drs-orchestrator');
  });
});
