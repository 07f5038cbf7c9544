import { type CheckReport, checkText } from '../../../cli/check';

const READY: CheckReport = {
  planId: 'three-tier',
  executionType: 'DRILL',
  ready: true,
  problems: [],
  warnings: [],
  waves: 3,
  servers: 7,
  activeJobs: 0,
};

describe('checkText', () => {
  it('says a ready plan was checked in the account with --aws, with no simulator note', () => {
    const text = checkText({ ...READY, checkedAgainst: 'aws' }, 'plan.json');

    expect(text).toBe(
      'Plan three-tier is ready for a DRILL in your AWS account: 7 servers in 3 wave(s) exist and replicate CONTINUOUS, none is in a running DRS job, and every wave fits the DRS quotas (0 job(s) running now).',
    );
  });

  it('says where a plan DRS refused was checked, and how to check the account after a local check', () => {
    const report: CheckReport = {
      ...READY,
      ready: false,
      error: 'PlanNotReady',
      problems: ['wave 1: s-0db00000000000001 replication is STALLED'],
      checkedAgainst: 'simulator',
    };

    expect(checkText(report, 'plan.json').split('\n')).toEqual([
      'Plan three-tier cannot run in the DRS simulator: PlanNotReady (1 problem)',
      '  - wave 1: s-0db00000000000001 replication is STALLED',
      "This checked the simulator's invented inventory (the scenario's sourceServers, or without --scenario every plan server, replicating CONTINUOUS), not DRS in your AWS account. To check your account: drs-orchestrator check plan.json --aws",
    ]);
  });

  it('adds no note to a plan the plan rules refused, since no DRS was asked', () => {
    const report: CheckReport = {
      planId: 'bad',
      executionType: 'DRILL',
      ready: false,
      error: 'InvalidPlan',
      problems: ['waves: at least one wave'],
      warnings: [],
      checkedAgainst: 'simulator',
      waves: 0,
      servers: 0,
      activeJobs: null,
    };

    expect(checkText(report)).toBe('Plan bad cannot run: InvalidPlan (1 problem)\n  - waves: at least one wave');
  });
});
