import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { type OrchestratorFunction, REPO_ROOT } from '../../infra/constructs/orchestrator-function';
import { PLAN_READ_ACTIONS, RECORDS_ACTIONS } from '../../infra/constructs/records-access';
import { taskConstructId } from '../../infra/constructs/task-functions';
import { dynamoDbActionsOf } from './aws-calls';
import { actionsOf, resourceListOf, resourcesOf, type Statement, statementsOfRole, synthesize } from './synth';

/**
 * Issue 15, item 8 (and the grant of item 5): each function may do what its code does and no more,
 * on the narrowest resources IAM lets a policy name.
 */
const { stack, template } = synthesize();
const id = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement);
const functions: Record<string, OrchestratorFunction> = {
  ...Object.fromEntries(Object.entries(stack.tasks.functions).map(([p, fn]) => [taskConstructId(p), fn])),
  ExecutionEvents: stack.executionEvents.handler,
  Api: stack.api.handler,
};
const statementsOf = (name: string) =>
  statementsOfRole(template, id((functions[name] as OrchestratorFunction).role)).filter((s) => s.Effect === 'Allow');
const json = (value: unknown) => JSON.stringify(value);
const tableArn = (table: { node: { defaultChild?: unknown } }) => json({ 'Fn::GetAtt': [id(table), 'Arn'] });
const on = (statements: Statement[], table: { node: { defaultChild?: unknown } }) =>
  statements.filter((s) => resourceListOf(s).some((r) => json(r).includes(tableArn(table))));
const pinned = (type: string) =>
  json({
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':drs:',
        { Ref: 'AWS::Region' },
        ':',
        { Ref: 'AWS::AccountId' },
        `:${type}/*`,
      ],
    ],
  });

describe('least privilege: DynamoDB', () => {
  const recordsSources = [
    join(REPO_ROOT, 'functions', 'shared', 'execution-store.ts'),
    ...readdirSync(join(REPO_ROOT, 'functions', 'shared', 'records')).map((file) =>
      join(REPO_ROOT, 'functions', 'shared', 'records', file),
    ),
  ];

  it('grants the records exactly the DynamoDB calls the records layer makes', () => {
    expect([...RECORDS_ACTIONS].sort()).toEqual(dynamoDbActionsOf(recordsSources));
  });

  it.each(['BeginExecution', 'StartWave', 'ClassifyWave', 'FinishExecution', 'ExecutionEvents'])(
    '%s may make those calls on the executions table itself: no Scan, no index',
    (name) => {
      const statements = on(statementsOf(name), stack.records.executions);
      expect(statements.flatMap(actionsOf).sort()).toEqual([...RECORDS_ACTIONS].sort());
      expect(json(statements)).not.toContain('/index/');
    },
  );

  it("lets admit-wave make the records calls on the executions table itself (no Scan, no index), read DRS's jobs and answer the workflow's token waits, and nothing else", () => {
    const statements = statementsOf('AdmitWave');
    const onTable = on(statements, stack.records.executions);
    expect(onTable.flatMap(actionsOf).sort()).toEqual([...RECORDS_ACTIONS].sort());
    expect(json(onTable)).not.toContain('/index/');
    // Its own logs and X-Ray's tracing aside: the records, DescribeJobs (DRS's other running jobs count
    // against the quotas; no DRS write) and SendTaskSuccess (no SendTaskFailure).
    expect(
      statements
        .flatMap(actionsOf)
        .filter((a) => !/^(xray|logs|dynamodb):/.test(a))
        .sort(),
    ).toEqual(['drs:DescribeJobs', 'states:SendTaskSuccess']);
  });

  it('grants index/* only to the function that lists executions through the indexes (the API)', () => {
    const withIndexes = Object.keys(functions).filter((name) => json(statementsOf(name)).includes('/index/*'));
    expect(withIndexes).toEqual(['Api']);
  });

  it('lets the first task read stored plans with GetItem alone (no Scan, no Query, no write)', () => {
    const statements = on(statementsOf('BeginExecution'), stack.records.plans);
    expect(statements.flatMap(actionsOf)).toEqual([...PLAN_READ_ACTIONS]);
    expect(statements.flatMap(resourceListOf).map(json)).toEqual([tableArn(stack.records.plans)]);
  });

  it('gives no workflow task or execution-events a Scan of anything', () => {
    for (const name of Object.keys(functions).filter((n) => n !== 'Api')) {
      expect({ name, scans: statementsOf(name).flatMap(actionsOf).includes('dynamodb:Scan') }).toEqual({
        name,
        scans: false,
      });
    }
  });
});

describe('least privilege: DRS resources', () => {
  it.each([
    ['StartWave', 'drs:StartRecovery', 'source-server'],
    ['StartWave', 'drs:CreateRecoveryInstanceForDrs', 'source-server'],
    ['ClassifyWave', 'drs:DescribeJobLogItems', 'job'],
    ['ClassifyWave', 'drs:ListLaunchActions', 'source-server'],
    ['BeginExecution', 'drs:DescribeRecoverySnapshots', 'source-server'],
    ['Api', 'drs:DescribeRecoverySnapshots', 'source-server'],
  ])('%s: %s is pinned to this partition, region and account (%s/*)', (name, action, type) => {
    const granting = statementsOf(name).filter((s) => actionsOf(s).includes(action));
    expect(granting.length).toBeGreaterThan(0);
    expect(granting.flatMap(resourceListOf).map(json)).toEqual(granting.map(() => pinned(type)));
  });

  it('leaves on * only the DRS actions the Service Authorization Reference names no resource type for', () => {
    // TagResource (job, source server, ...) is narrowed with its own condition in drs-permissions.ts.
    const onAnything = new Set(
      Object.keys(functions).flatMap((name) =>
        statementsOf(name)
          .filter((s) => resourceListOf(s).includes('*'))
          .flatMap(actionsOf)
          .filter((a) => a.startsWith('drs:')),
      ),
    );
    expect([...onAnything].filter((a) => a !== 'drs:TagResource').sort()).toEqual([
      'drs:DescribeJobs',
      'drs:DescribeSourceServers',
      'drs:ListTagsForResource',
    ]);
  });
});

describe('least privilege: Step Functions and KMS', () => {
  it("lets execution-events describe this state machine's executions, start and stop drill cleanups, and nothing else of Step Functions", () => {
    const smName = { 'Fn::Select': [6, { 'Fn::Split': [':', { Ref: id(stack.workflow.stateMachine) }] }] };
    const cleanupName = { 'Fn::Select': [6, { 'Fn::Split': [':', { Ref: id(stack.drillCleanup.stateMachine) }] }] };
    const states = statementsOf('ExecutionEvents').filter((s) => actionsOf(s).some((a) => a.startsWith('states:')));
    expect(states).toEqual([
      {
        Action: 'states:DescribeExecution',
        Effect: 'Allow',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':states:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':execution:',
              smName,
              ':*',
            ],
          ],
        },
      },
      { Action: 'states:StartExecution', Effect: 'Allow', Resource: { Ref: id(stack.drillCleanup.stateMachine) } },
      {
        Action: 'states:StopExecution',
        Effect: 'Allow',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':states:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':execution:',
              cleanupName,
              ':*',
            ],
          ],
        },
      },
    ]);
  });

  it('lets CloudWatch use the topic key only for alarms of this account and region (aws:SourceAccount, aws:SourceArn)', () => {
    const key = resourcesOf(template, 'AWS::KMS::Key')[id(stack.notifications.key)];
    const statements = (key?.Properties.KeyPolicy as { Statement: Statement[] } | undefined)?.Statement ?? [];
    const cloudWatch = statements.filter((s) => json(s.Principal).includes('cloudwatch.amazonaws.com'));
    expect(cloudWatch).toHaveLength(1);
    expect(cloudWatch[0]?.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnLike: {
        'aws:SourceArn': {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':cloudwatch:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':alarm:*',
            ],
          ],
        },
      },
    });
  });
});
