import {
  type RecoveryInstanceFacts,
  selectDrillInstances,
  selectionNote,
} from '../../../functions/shared/cleanup-selection';

const MINE = 'drsjob-aaaaaaaaaaaaaaaaa';
const MINE_TOO = 'drsjob-bbbbbbbbbbbbbbbbb';
const OTHER = 'drsjob-ccccccccccccccccc';
const instance = (id: string, facts: Partial<RecoveryInstanceFacts> = {}): RecoveryInstanceFacts => ({
  recoveryInstanceID: id,
  ec2InstanceID: id,
  ec2InstanceState: 'RUNNING',
  jobID: MINE,
  isDrill: true,
  sourceServerID: 's-00000000000000001',
  ...facts,
});
const select = (instances: RecoveryInstanceFacts[], executionType = 'DRILL', jobIds = [MINE, MINE_TOO]) =>
  selectDrillInstances({ executionType, jobIds, instances });

describe('selectDrillInstances', () => {
  it('selects the running drill instances launched by any of the execution’s own jobs', () => {
    const out = select([instance('i-1'), instance('i-2', { jobID: MINE_TOO, ec2InstanceState: 'STOPPED' })]);
    expect(out).toEqual({ terminate: ['i-1', 'i-2'], kept: [] });
  });

  it('never selects an instance launched by another job, even of the same source server', () => {
    const out = select([instance('i-1'), instance('i-2', { jobID: OTHER })]);
    expect(out.terminate).toEqual(['i-1']);
    expect(out.kept).toEqual([
      { recoveryInstanceID: 'i-2', sourceServerID: 's-00000000000000001', why: 'NOT_THIS_EXECUTION' },
    ]);
  });

  it('never selects a recovery (non-drill) instance, even one a job of the execution launched', () => {
    const out = select([instance('i-1', { isDrill: false })]);
    expect(out).toEqual({
      terminate: [],
      kept: [expect.objectContaining({ recoveryInstanceID: 'i-1', why: 'NOT_A_DRILL_INSTANCE' })],
    });
  });

  it('fails closed when DRS leaves out jobID or isDrill', () => {
    const out = select([instance('i-1', { jobID: undefined }), instance('i-2', { isDrill: undefined })]);
    expect(out.terminate).toEqual([]);
    expect(out.kept.map((k) => k.why)).toEqual(['NOT_THIS_EXECUTION', 'NOT_A_DRILL_INSTANCE']);
  });

  it('selects nothing at all for a RECOVERY execution, whatever DRS lists', () => {
    expect(select([instance('i-1'), instance('i-2')], 'RECOVERY')).toEqual({ terminate: [], kept: [] });
    expect(select([instance('i-1')], 'unknown')).toEqual({ terminate: [], kept: [] });
  });

  it('selects nothing when the execution recorded no job', () => {
    expect(select([instance('i-1')], 'DRILL', []).terminate).toEqual([]);
  });

  it('leaves alone what is gone or already going', () => {
    const out = select([
      instance('i-1', { ec2InstanceState: 'TERMINATED' }),
      instance('i-2', { ec2InstanceState: 'NOT_FOUND' }),
      instance('i-3', { ec2InstanceState: 'SHUTTING-DOWN' }),
      instance('i-4', { ec2InstanceState: 'PENDING' }),
    ]);
    expect(out.terminate).toEqual(['i-4']);
    expect(out.kept.map((k) => [k.recoveryInstanceID, k.why])).toEqual([
      ['i-1', 'ALREADY_TERMINATED'],
      ['i-2', 'ALREADY_TERMINATED'],
      ['i-3', 'BEING_TERMINATED'],
    ]);
  });

  it('lists an instance once however often DRS pages it, and skips one without an ID', () => {
    const out = select([instance('i-1'), instance('i-1'), { ...instance('x'), recoveryInstanceID: undefined }]);
    expect(out).toEqual({ terminate: ['i-1'], kept: [] });
  });

  it('checks the job before anything else: another job’s recovery instance is NOT_THIS_EXECUTION', () => {
    const out = select([instance('i-1', { jobID: OTHER, isDrill: false, ec2InstanceState: 'TERMINATED' })]);
    expect(out.kept[0]?.why).toBe('NOT_THIS_EXECUTION');
  });
});

describe('selectionNote', () => {
  it('says what is terminated and what is left alone, by reason, with the IDs', () => {
    const note = selectionNote(
      select([instance('i-1'), instance('i-2', { jobID: OTHER }), instance('i-3', { jobID: OTHER })]),
    );
    expect(note).toBe(
      '1 instance(s) of this drill selected for termination; left alone: 2 launched by another job (i-2, i-3)',
    );
  });
});
