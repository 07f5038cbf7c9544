import * as drs from '@aws-sdk/client-drs';
import { CONSTRAINTS, errorProblems, MODEL, requestProblems, responseProblems, TYPES } from '../support/drs-model';

/** The validator the contract tests use, and its fixture: it finds what is wrong, and the fixture is DRS's. */
const JOB = {
  jobID: 'drsjob-0123456789abcdefA',
  arn: 'arn:aws:drs:us-east-1:123456789012:job/drsjob-0123456789abcdefA',
  type: 'LAUNCH',
  initiatedBy: 'START_DRILL',
  creationDateTime: '2026-01-01T00:00:00.000Z',
  status: 'STARTED',
  participatingServers: [{ sourceServerID: 's-0123456789abcdef0', launchStatus: 'IN_PROGRESS' }],
  tags: { 'drs-orchestrator:wave': '1' },
};

describe('the DRS model fixture', () => {
  it('is the model of the operations the orchestrator calls, with their HTTP codes', () => {
    for (const [operation, code] of [
      ['StartRecovery', 202],
      ['DescribeJobs', 200],
      ['DescribeJobLogItems', 200],
      ['DescribeSourceServers', 200],
      ['DescribeRecoveryInstances', 200],
      ['TerminateRecoveryInstances', 200],
      ['ListLaunchActions', 200],
    ] as const) {
      expect(MODEL.operations[operation]?.http).toEqual({ requestUri: `/${operation}`, responseCode: code });
      expect(TYPES.operations[operation]).toEqual({ input: `${operation}Request`, output: `${operation}Response` });
    }
  });

  it.each([
    'JobLogEvent',
    'LaunchStatus',
    'JobStatus',
    'JobType',
    'InitiatedBy',
    'LaunchActionRunStatus',
    'DataReplicationState',
    'LastLaunchResult',
    'EC2InstanceState',
  ])('declares the same %s values as the installed @aws-sdk/client-drs', (name) => {
    const v3 = (drs as unknown as Record<string, Record<string, string>>)[name];
    const alias = TYPES.aliases[name];
    expect(alias && 'enum' in alias ? [...alias.enum].sort() : alias).toEqual(Object.values(v3 ?? {}).sort());
  });

  it('declares every error of the model with its status code and body members', () => {
    expect(Object.keys(TYPES.errors).sort()).toEqual([
      'AccessDeniedException',
      'ConflictException',
      'InternalServerException',
      'ResourceNotFoundException',
      'ServiceQuotaExceededException',
      'ThrottlingException',
      'UninitializedAccountException',
      'ValidationException',
    ]);
    expect(TYPES.errors.ServiceQuotaExceededException).toEqual({
      httpStatusCode: 402,
      members: {
        message: 'string',
        code: 'string',
        resourceId: 'string',
        resourceType: 'string',
        serviceCode: 'string',
        quotaCode: 'string',
      },
    });
  });

  it('keys every constraint by a type the declarations name', () => {
    const named = new Set([...Object.keys(TYPES.aliases), ...Object.keys(TYPES.interfaces)]);
    expect(Object.keys(CONSTRAINTS).filter((name) => !named.has(name))).toEqual([]);
  });
});

describe('the DRS model validator', () => {
  it('accepts a response that fits the model', () => {
    expect(responseProblems('DescribeJobs', 200, { items: [JOB] })).toEqual([]);
    expect(requestProblems('StartRecovery', { sourceServers: [{ sourceServerID: 's-0123456789abcdef0' }] })).toEqual(
      [],
    );
  });

  it('names a member the model does not have, at its path', () => {
    const job = { ...JOB, participatingServers: [{ ...JOB.participatingServers[0], launchState: 'LAUNCHED' }] };
    expect(responseProblems('DescribeJobs', 200, { items: [job] })).toEqual([
      'DescribeJobs response.items[0].participatingServers[0].launchState: not a member of ParticipatingServer',
    ]);
  });

  it('names a value outside its enum, a wrong type, a wrong nesting and a missing required member', () => {
    const { jobID: _, ...noId } = JOB;
    const problems = responseProblems('DescribeJobs', 200, {
      items: [
        { ...JOB, status: 'FAILED' },
        { ...JOB, participatingServers: JOB.participatingServers[0] },
        { ...JOB, tags: [] },
        noId,
        { ...JOB, endDateTime: 1767225600 },
      ],
    });
    expect(problems).toEqual([
      'DescribeJobs response.items[0].status: "FAILED" is not one of JobStatus (PENDING, STARTED, COMPLETED)',
      expect.stringMatching(/^DescribeJobs response\.items\[1\]\.participatingServers: .*expected a list$/),
      'DescribeJobs response.items[2].tags: [], expected a map (object)',
      'DescribeJobs response.items[3].jobID: required by the model, missing',
      'DescribeJobs response.items[4].endDateTime: 1767225600, expected a string',
    ]);
  });

  it('names a value past the limits of the DRS API Reference', () => {
    const run = (extra: object) => ({
      ...JOB,
      participatingServers: [
        {
          sourceServerID: 's-0123456789abcdef0',
          launchStatus: 'LAUNCHED',
          launchActionsStatus: {
            runs: [{ runId: '0f0e1d2c-3b4a-4958-a766-85a4b3c2d1e0', status: 'FAILED', ...extra }],
          },
        },
      ],
    });
    const path = 'DescribeJobs response.items[0].participatingServers[0].launchActionsStatus.runs[0]';
    expect(responseProblems('DescribeJobs', 200, { items: [run({ failureReason: 'x'.repeat(257) })] })).toEqual([
      `${path}.failureReason: 257 characters, the model's maximum is 256`,
    ]);
    expect(responseProblems('DescribeJobs', 200, { items: [run({ action: { order: 1 } })] })).toEqual([
      `${path}.action.order: 1, the model's minimum is 2`,
    ]);
    expect(requestProblems('StartRecovery', { sourceServers: [] })).toEqual([
      "StartRecovery.sourceServers: 0 items, the model's minimum is 1",
    ]);
  });

  it('checks the status code of a response', () => {
    expect(responseProblems('StartRecovery', 200, { job: JOB })).toEqual([
      'StartRecovery response: HTTP 200, the model says 202',
    ]);
  });

  it('checks an error: its status, its members, and Retry-After kept out of the body', () => {
    expect(errorProblems('ServiceQuotaExceededException', 402, { message: 'm', serviceCode: 'drs' })).toEqual([]);
    expect(errorProblems('ServiceQuotaExceededException', 400, { message: 'm', limit: 5 })).toEqual([
      'ServiceQuotaExceededException: HTTP 400, the model says 402',
      'ServiceQuotaExceededException body.limit: not a member of ServiceQuotaExceededException',
    ]);
    expect(errorProblems('ThrottlingException', 429, { message: 'm', retryAfterSeconds: 1 })).toEqual([
      'ThrottlingException body.retryAfterSeconds: the model sends it as a header, not in the body',
    ]);
    expect(
      errorProblems('ValidationException', 400, { message: 'm', reason: 'bad', fieldList: [{ name: 'a' }] }),
    ).toEqual([
      'ValidationException body.reason: "bad" is not one of cannotParse, fieldValidationFailed, other, unknownOperation',
    ]);
    expect(errorProblems('NotAnException', 400, {})).toEqual(['NotAnException: not an error of the DRS model']);
  });
});
