import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { DRS_INSTANCE_ROLES, DRS_LAUNCH_ACTIONS } from '../../infra/constructs/drs-permissions';
import { type OrchestratorFunction, REPO_ROOT } from '../../infra/constructs/orchestrator-function';
import { taskConstructId } from '../../infra/constructs/task-functions';
import { awsActionsOf, reachableSources } from './aws-calls';
import { actionsOf, resourceListOf, resourcesOf, type Statement, statementsOfRole, synthesize } from './synth';

const { stack, template } = synthesize();
const id = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement);

const functions: Record<string, OrchestratorFunction> = {
  ...Object.fromEntries(Object.entries(stack.tasks.functions).map(([p, fn]) => [taskConstructId(p), fn])),
  ...Object.fromEntries(Object.entries(stack.drillCleanup.functions).map(([p, fn]) => [taskConstructId(p), fn])),
  ExecutionEvents: stack.executionEvents.handler,
  LaunchEvents: stack.launchEvents.handler,
  Api: stack.api.handler,
};
const roleIdOf = (name: string) => id((functions[name] as OrchestratorFunction).role);
const statementsOf = (name: string) => statementsOfRole(template, roleIdOf(name));
const grantedActions = (statements: Statement[], prefix: string) =>
  [...new Set(statements.filter((s) => s.Effect === 'Allow').flatMap(actionsOf))]
    .filter((action) => action.startsWith(prefix))
    .sort();
const json = (value: unknown) => JSON.stringify(value);
const sourcesOf = (code: string) =>
  reachableSources(join(REPO_ROOT, 'functions', code, 'handler.ts'), [join(REPO_ROOT, 'functions')]);
/** What DRS authorizes against the caller of StartRecovery, beyond the call itself. */
const LAUNCH_DEPENDENT_DRS_ACTIONS = DRS_LAUNCH_ACTIONS.filter((action) => action !== 'drs:StartRecovery') as string[];

/**
 * The dependent actions of drs:StartRecovery in the Service Authorization Reference
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticdisasterrecovery.html):
 * what DRS authorizes against the caller of StartRecovery while it launches.
 */
const START_RECOVERY_DEPENDENT_ACTIONS = [
  'drs:CreateRecoveryInstanceForDrs',
  'drs:ListTagsForResource',
  'ec2:AttachVolume',
  'ec2:AuthorizeSecurityGroupEgress',
  'ec2:AuthorizeSecurityGroupIngress',
  'ec2:CreateLaunchTemplate',
  'ec2:CreateLaunchTemplateVersion',
  'ec2:CreateSnapshot',
  'ec2:CreateTags',
  'ec2:CreateVolume',
  'ec2:DeleteLaunchTemplateVersions',
  'ec2:DeleteSnapshot',
  'ec2:DeleteVolume',
  'ec2:DescribeAccountAttributes',
  'ec2:DescribeAvailabilityZones',
  'ec2:DescribeImages',
  'ec2:DescribeInstanceAttribute',
  'ec2:DescribeInstanceStatus',
  'ec2:DescribeInstanceTypes',
  'ec2:DescribeInstances',
  'ec2:DescribeLaunchTemplateVersions',
  'ec2:DescribeLaunchTemplates',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSnapshots',
  'ec2:DescribeSubnets',
  'ec2:DescribeVolumes',
  'ec2:DetachVolume',
  'ec2:ModifyInstanceAttribute',
  'ec2:ModifyLaunchTemplate',
  'ec2:RevokeSecurityGroupEgress',
  'ec2:RunInstances',
  'ec2:StartInstances',
  'ec2:StopInstances',
  'ec2:TerminateInstances',
  'iam:PassRole',
];

/** CDK's BucketDeployment function's policy (the web console's assets): aws-cdk-lib's own grants. */
const deploymentPolicyId = (() => {
  const handler = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
  const policy = handler?.node.findChild('ServiceRole').node.findChild('DefaultPolicy');
  return stack.getLogicalId(policy?.node.defaultChild as CfnElement);
})();

describe('IAM: no wildcard actions', () => {
  const identityStatements: Statement[] = [
    ...Object.entries(resourcesOf(template, 'AWS::IAM::Policy'))
      .filter(([id]) => id !== deploymentPolicyId)
      .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement),
    ...Object.values(resourcesOf(template, 'AWS::IAM::Role')).flatMap((role) =>
      ((role.Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
        (p) => p.PolicyDocument.Statement,
      ),
    ),
  ];

  it('grants no action with a wildcard in any identity policy (no `*`, no `drs:*`)', () => {
    expect(identityStatements.length).toBeGreaterThan(20);
    const wildcards = identityStatements.flatMap(actionsOf).filter((action) => action.includes('*'));
    expect(wildcards).toEqual([]);
  });

  it("allows CDK's BucketDeployment function only S3 read/write action groups besides exact actions", () => {
    const policy = resourcesOf(template, 'AWS::IAM::Policy')[deploymentPolicyId];
    if (!policy) throw new Error("CDK's BucketDeployment policy is not in the template");
    const statements = (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
    const wildcards = new Set(statements.flatMap(actionsOf).filter((action) => action.includes('*')));
    expect([...wildcards].sort()).toEqual([
      's3:Abort*',
      's3:DeleteObject*',
      's3:GetBucket*',
      's3:GetObject*',
      's3:List*',
    ]);
  });

  it('allows no wildcard action in resource policies, except the key policy delegating the key to the account (the KMS default)', () => {
    const resourcePolicies = [
      ...Object.values(resourcesOf(template, 'AWS::SNS::TopicPolicy')).map((p) => p.Properties.PolicyDocument),
      ...Object.values(resourcesOf(template, 'AWS::SQS::QueuePolicy')).map((p) => p.Properties.PolicyDocument),
      ...Object.values(resourcesOf(template, 'AWS::KMS::Key')).map((k) => k.Properties.KeyPolicy),
    ] as { Statement: Statement[] }[];
    const allowed = resourcePolicies.flatMap((doc) => doc.Statement).filter((s) => s.Effect === 'Allow');
    const wildcard = allowed.filter((s) => actionsOf(s).some((a) => a.includes('*')));
    expect(wildcard.map((s) => ({ Action: s.Action, Principal: s.Principal }))).toEqual([
      {
        Action: 'kms:*',
        Principal: {
          AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']] },
        },
      },
      // cloudwatch.amazonaws.com may kms:GenerateDataKey* to publish alarms to the encrypted topic.
      { Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Principal: { Service: 'cloudwatch.amazonaws.com' } },
    ]);
  });
});

describe('IAM: DRS actions per function, exactly', () => {
  it.each([
    ['BeginExecution', ['drs:DescribeJobs', 'drs:DescribeRecoverySnapshots', 'drs:DescribeSourceServers']],
    [
      'StartWave',
      [
        'drs:CreateRecoveryInstanceForDrs',
        'drs:DescribeJobs',
        'drs:DescribeSourceServers',
        'drs:ListTagsForResource',
        'drs:StartRecovery',
        'drs:TagResource',
      ],
    ],
    ['ClassifyWave', ['drs:DescribeJobLogItems', 'drs:DescribeJobs', 'drs:ListLaunchActions']],
    ['FinishExecution', []],
    [
      'TerminateDrillInstances',
      ['drs:DescribeJobs', 'drs:DescribeRecoveryInstances', 'drs:TerminateRecoveryInstances'],
    ],
    ['CheckDrillCleanup', ['drs:DescribeJobs', 'drs:DescribeRecoveryInstances', 'drs:TerminateRecoveryInstances']],
    ['ExecutionEvents', []],
    ['Api', ['drs:DescribeJobs', 'drs:DescribeRecoverySnapshots', 'drs:DescribeSourceServers']],
  ])('%s may call %j', (name, actions) => {
    expect(grantedActions(statementsOf(name), 'drs:')).toEqual(actions);
  });

  it.each(Object.keys(functions))(
    "%s is granted exactly the DRS, Step Functions, SNS and S3 calls its code makes (and what DRS needs of StartRecovery's caller)",
    (name) => {
      const fn = functions[name] as OrchestratorFunction;
      const calls = awsActionsOf(sourcesOf(fn.code));
      const granted = ['drs:', 'states:', 'sns:', 's3:']
        .flatMap((prefix) => grantedActions(statementsOf(name), prefix))
        .filter((action) => !(name === 'StartWave' && LAUNCH_DEPENDENT_DRS_ACTIONS.includes(action)))
        .sort();
      expect(granted).toEqual(calls);
    },
  );

  it('finds the calls in the code (the scan is not blind)', () => {
    expect(awsActionsOf(sourcesOf('start-wave'))).toContain('drs:StartRecovery');
    expect(awsActionsOf(sourcesOf('api'))).toEqual([
      'drs:DescribeJobs',
      'drs:DescribeRecoverySnapshots',
      'drs:DescribeSourceServers',
      'states:DescribeExecution',
      'states:SendTaskFailure',
      'states:SendTaskSuccess',
      'states:StartExecution',
      'states:StopExecution',
    ]);
  });

  it('grants the state machine no DRS action (it only invokes the task functions)', () => {
    const statements = statementsOfRole(template, id(stack.workflow.stateMachine.role));
    expect(grantedActions(statements, 'drs:')).toEqual([]);
  });

  it('grants EC2, IAM and SSM only to the start-wave function, and to the drill cleanup what terminating needs', () => {
    const TERMINATE_EC2 = [
      'ec2:DeleteVolume',
      'ec2:DescribeInstances',
      'ec2:DescribeVolumes',
      'ec2:TerminateInstances',
    ];
    for (const name of Object.keys(functions)) {
      const statements = statementsOf(name);
      const launch = ['ec2:', 'iam:', 'ssm:'].flatMap((prefix) => grantedActions(statements, prefix));
      if (name === 'StartWave') expect(launch.length).toBeGreaterThan(0);
      else if (name === 'TerminateDrillInstances' || name === 'CheckDrillCleanup')
        expect({ name, launch: [...launch].sort() }).toEqual({ name, launch: TERMINATE_EC2 });
      else expect({ name, launch }).toEqual({ name, launch: [] });
    }
  });

  it.each(['TerminateDrillInstances', 'CheckDrillCleanup'])(
    '%s may terminate only recovery instances of this account and region, and EC2 only through DRS on DRS-managed resources',
    (name) => {
      const statements = statementsOf(name).filter((s) => s.Effect === 'Allow');
      const terminate = statements.filter((s) => actionsOf(s).includes('drs:TerminateRecoveryInstances'));
      expect(terminate.map((s) => json(s.Resource))).toEqual([
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
              ':recovery-instance/*',
            ],
          ],
        }),
      ]);
      for (const s of statements.filter((s) =>
        actionsOf(s).some((a) => a === 'ec2:TerminateInstances' || a === 'ec2:DeleteVolume'),
      )) {
        expect(s.Condition).toEqual({
          Null: { 'aws:ResourceTag/AWSElasticDisasterRecoveryManaged': 'false' },
          Bool: { 'aws:ViaAWSService': 'true' },
        });
      }
    },
  );
});

describe('IAM: the start-wave function can launch recovery instances (no "DRS jobs failed — IAM permissions?")', () => {
  const statements = statementsOf('StartWave');
  const allowed = statements.filter((s) => s.Effect === 'Allow');

  it.each(START_RECOVERY_DEPENDENT_ACTIONS)('is allowed %s, a dependent action of drs:StartRecovery', (action) => {
    expect(allowed.flatMap(actionsOf)).toContain(action);
  });

  it('may tag the recovery job it creates (StartRecovery with tags is also drs:TagResource)', () => {
    expect(grantedActions(statements, 'drs:')).toContain('drs:TagResource');
  });

  it('may tag only what StartRecovery creates: jobs and recovery instances of this account and region, never an existing resource', () => {
    const tagging = allowed.filter((s) => actionsOf(s).includes('drs:TagResource'));
    expect(tagging).toHaveLength(1);
    const [statement] = tagging as [Statement];
    expect(actionsOf(statement)).toEqual(['drs:TagResource']);
    const arn = (type: string) => ({
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
    expect(resourceListOf(statement)).toEqual([arn('job'), arn('recovery-instance')]);
    expect(statement.Condition).toEqual({
      StringEquals: { 'drs:CreateAction': ['StartRecovery', 'CreateRecoveryInstanceForDrs'] },
    });
  });

  it('passes only the DRS instance roles, and only to EC2', () => {
    const passRole = allowed.filter((s) => actionsOf(s).includes('iam:PassRole'));
    expect(passRole).toHaveLength(1);
    const [statement] = passRole as [Statement];
    expect(actionsOf(statement)).toEqual(['iam:PassRole']);
    expect(statement.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } });
    expect(resourceListOf(statement)).toEqual(
      DRS_INSTANCE_ROLES.map((role) => ({
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, `:role/service-role/${role}`],
        ],
      })),
    );
  });

  it('changes EC2 resources only through DRS and only when DRS manages them (conditions as in the managed policy)', () => {
    const writes = allowed.filter((s) =>
      actionsOf(s).some((a) => a.startsWith('ec2:') && !/^ec2:(Describe|Get)/.test(a)),
    );
    expect(writes.length).toBeGreaterThan(10);
    const unconditioned = writes.filter((s) => s.Condition === undefined);
    // Two statements name only the container a new resource is created in (a VPC, a subnet or security
    // group); creating it is also authorized on the new resource, which requires the DRS tag and an AWS service.
    expect(unconditioned.map((s) => s.Sid).sort()).toEqual(['CreateNetworkInterfacesIn', 'CreateSecurityGroupsInVpcs']);
    for (const s of writes.filter((w) => w.Condition !== undefined)) {
      expect({
        sid: s.Sid,
        guarded: /aws:ViaAWSService|aws:CalledVia|AWSElasticDisasterRecoveryManaged|ec2:CreateAction/.test(
          json(s.Condition),
        ),
      }).toEqual({
        sid: s.Sid,
        guarded: true,
      });
    }
    const runInstances = writes.filter((s) => actionsOf(s).includes('ec2:RunInstances'));
    for (const s of runInstances) expect(json(s.Condition)).toContain('aws:ViaAWSService');
    const terminate = writes.filter((s) => actionsOf(s).includes('ec2:TerminateInstances'));
    expect(terminate).toHaveLength(1);
    expect((terminate[0] as Statement).Condition).toEqual({
      Null: { 'aws:ResourceTag/AWSElasticDisasterRecoveryManaged': 'false' },
      Bool: { 'aws:ViaAWSService': 'true' },
    });
  });

  it('pins every EC2 resource to this partition and region, and own-account resources to this account', () => {
    const ec2Resources = allowed
      .filter((s) => actionsOf(s).some((a) => a.startsWith('ec2:') && !/^ec2:(Describe|Get)/.test(a)))
      .flatMap(resourceListOf)
      .map(json);
    expect(ec2Resources.length).toBeGreaterThan(0);
    for (const resource of ec2Resources) {
      expect(resource).toContain('{"Ref":"AWS::Partition"},":ec2:",{"Ref":"AWS::Region"}');
      if (/:(instance|volume|snapshot|launch-template|network-interface|fleet)\/\*/.test(resource)) {
        expect(resource).toContain('{"Ref":"AWS::AccountId"}');
      }
    }
  });

  it('has the AWS managed policy for post-launch actions (SSM automation runs with the caller credentials)', () => {
    const role = resourcesOf(template, 'AWS::IAM::Role')[roleIdOf('StartWave')];
    expect(role?.Properties.ManagedPolicyArns).toEqual([
      {
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AWSElasticDisasterRecoveryLaunchActionsPolicy'],
        ],
      },
    ]);
  });

  it('also passes the roles named in context `recoveryInstanceRoleArns` (custom instance profiles)', () => {
    const custom = 'arn:aws:iam::111122223333:role/app-servers';
    const other = synthesize({ context: { recoveryInstanceRoleArns: ` ${custom} ,` } });
    const roleId = other.stack.getLogicalId(
      other.stack.tasks.functions.StartWaveFunctionArn?.role.node.defaultChild as CfnElement,
    );
    const passRole = statementsOfRole(other.template, roleId).filter((s) => actionsOf(s).includes('iam:PassRole'));
    expect(passRole.flatMap(resourceListOf)).toContain(custom);
    expect(passRole.flatMap(resourceListOf)).toHaveLength(DRS_INSTANCE_ROLES.length + 1);
  });
});

describe('IAM: data, workflow and notification access', () => {
  const tableArn = (table: { node: { defaultChild?: unknown } }) => ({ 'Fn::GetAtt': [id(table), 'Arn'] });
  const touches = (name: string, table: { node: { defaultChild?: unknown } }) =>
    statementsOf(name).some((s) => json(s.Resource).includes(json(tableArn(table))));

  it.each([
    ['BeginExecution', true, true],
    ['StartWave', true, false],
    ['ClassifyWave', true, false],
    ['FinishExecution', true, false],
    ['ExecutionEvents', true, false],
    ['Api', true, true],
  ])('%s: executions table %s, plans table %s', (name, executions, plans) => {
    expect(touches(name, stack.records.executions)).toBe(executions);
    expect(touches(name, stack.records.plans)).toBe(plans);
    if (executions) {
      const writes = statementsOf(name).filter((s) =>
        json(s.Resource).includes(json(tableArn(stack.records.executions))),
      );
      expect(writes.flatMap(actionsOf)).toEqual(
        expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:Query']),
      );
    }
  });

  it('lets the first task only read the stored plans', () => {
    const onPlans = statementsOf('BeginExecution').filter((s) =>
      json(s.Resource).includes(json(tableArn(stack.records.plans))),
    );
    const actions = onPlans.flatMap(actionsOf);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem']));
    expect(actions.filter((a) => /Put|Update|Delete|Write/.test(a))).toEqual([]);
  });

  it('lets the API start executions of this state machine, and stop and describe only its executions', () => {
    const smRef = { Ref: id(stack.workflow.stateMachine) };
    const statements = statementsOf('Api');
    expect(statements.filter((s) => actionsOf(s).includes('states:StartExecution'))).toEqual([
      { Action: 'states:StartExecution', Effect: 'Allow', Resource: smRef },
      // The drill cleanup on demand (POST /executions/{executionId}/cleanup).
      { Action: 'states:StartExecution', Effect: 'Allow', Resource: { Ref: id(stack.drillCleanup.stateMachine) } },
    ]);
    const stop = statements.filter(
      (s) =>
        actionsOf(s).includes('states:StopExecution') &&
        !json(s.Resource).includes(id(stack.drillCleanup.stateMachine)),
    );
    expect(stop).toHaveLength(1);
    expect(actionsOf(stop[0] as Statement).sort()).toEqual(['states:DescribeExecution', 'states:StopExecution']);
    expect((stop[0] as Statement).Resource).toEqual({
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
          { 'Fn::Select': [6, { 'Fn::Split': [':', smRef] }] },
          ':*',
        ],
      ],
    });
    expect(grantedActions(statements, 'states:')).toEqual([
      'states:DescribeExecution',
      'states:SendTaskFailure',
      'states:SendTaskSuccess',
      'states:StartExecution',
      'states:StopExecution',
    ]);
  });

  it('lets the API and the approval gate send task responses to this state machine only, never to *', () => {
    const smRef = { Ref: id(stack.workflow.stateMachine) };
    for (const name of ['Api', 'RequestApproval']) {
      const responses = statementsOf(name).filter((s) => actionsOf(s).some((a) => a.startsWith('states:SendTask')));
      expect({ name, responses }).toEqual({
        name,
        responses: [{ Action: ['states:SendTaskSuccess', 'states:SendTaskFailure'], Effect: 'Allow', Resource: smRef }],
      });
    }
  });

  it('lets the execution-events function publish to the topic, and use its key for that', () => {
    const statements = statementsOf('ExecutionEvents');
    expect(statements.filter((s) => actionsOf(s).some((a) => a.startsWith('sns:')))).toEqual([
      { Action: 'sns:Publish', Effect: 'Allow', Resource: { Ref: id(stack.notifications.topic) } },
    ]);
    expect(statements.filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')))).toEqual([
      {
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [id(stack.notifications.key), 'Arn'] },
      },
    ]);
  });

  it('lets the state machine invoke exactly the four task functions', () => {
    const statements = statementsOfRole(template, id(stack.workflow.stateMachine.role));
    const invoked = statements
      .filter((s) => actionsOf(s).includes('lambda:InvokeFunction'))
      .flatMap(resourceListOf)
      .filter((r) => json(r).startsWith('{"Fn::GetAtt"'));
    expect(invoked.map(json).sort()).toEqual(
      Object.values(stack.tasks.functions)
        .map((fn) => json({ 'Fn::GetAtt': [id(fn.function), 'Arn'] }))
        .sort(),
    );
  });
});
