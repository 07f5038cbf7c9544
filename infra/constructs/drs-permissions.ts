import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';

/**
 * The DRS read actions each task calls, and nothing else (a test compares them with the DRS commands
 * each function's code imports). Granted on `*`: DescribeJobs and DescribeSourceServers list across the
 * account (DescribeJobs supports no resource-level permissions), the plan's servers are not known when
 * the stack is deployed (DescribeRecoverySnapshots and ListLaunchActions take any of them), and the AWS
 * managed DRS policies (AWSElasticDisasterRecoveryReadOnlyAccess, ...ConsoleFullAccess_v2) grant these
 * reads on `*`.
 */
export const DRS_ACTIONS = {
  /**
   * The preflight: every server exists, none is in a live job, the quotas fit; a DRILL needs CONTINUOUS
   * replication, a RECOVERY a recovery snapshot of each server (DescribeRecoverySnapshots).
   */
  beginExecution: ['drs:DescribeSourceServers', 'drs:DescribeJobs', 'drs:DescribeRecoverySnapshots'],
  /**
   * After an uncertain StartRecovery, or on a retry: finds the wave's job by its tags instead of starting
   * another, and reads the servers' last launch (a job DescribeJobs does not list yet).
   */
  startWave: ['drs:DescribeJobs', 'drs:DescribeSourceServers'],
  /**
   * One DescribeJobs per poll; the DRS reason (rawError) of each failed server from the job log; for a
   * RECOVERY, each server's required post-launch actions (ListLaunchActions), once per wave.
   */
  classifyWave: ['drs:DescribeJobs', 'drs:DescribeJobLogItems', 'drs:ListLaunchActions'],
  /** Admission counts DRS's other running jobs against the quotas (issue 12): one paginated DescribeJobs a round. */
  admitWave: ['drs:DescribeJobs'],
  /** The start route runs the same preflight, so a plan that cannot run gets a 400 instead of a failed execution. */
  api: ['drs:DescribeSourceServers', 'drs:DescribeJobs', 'drs:DescribeRecoverySnapshots'],
} as const;

/**
 * The DRS actions the Service Authorization Reference lets a policy pin to a resource type, and the
 * type (`arn:<partition>:drs:<region>:<account>:<type>/<id>`): StartRecovery,
 * CreateRecoveryInstanceForDrs, DescribeRecoverySnapshots and ListLaunchActions (asked here of a
 * source server, never of a launch configuration template) act on source servers, DescribeJobLogItems
 * on a job. DescribeJobs, DescribeSourceServers and ListTagsForResource name no resource type there,
 * so they stay on `*`.
 */
export const DRS_ACTION_RESOURCE_TYPES: Readonly<Record<string, 'source-server' | 'job'>> = {
  'drs:StartRecovery': 'source-server',
  'drs:CreateRecoveryInstanceForDrs': 'source-server',
  'drs:DescribeRecoverySnapshots': 'source-server',
  'drs:ListLaunchActions': 'source-server',
  'drs:DescribeJobLogItems': 'job',
};

/**
 * Statements granting DRS actions, each pinned to this partition, region and account where the
 * Service Authorization Reference allows it ({@link DRS_ACTION_RESOURCE_TYPES}), `*` otherwise.
 */
/** Why the pinned DRS patterns end in a wildcard (for cdk-nag's IAM5 acknowledgement). */
export const PINNED_DRS_REASON =
  "DRS jobs are created per wave and a plan may name any source server of the account, so their IDs are not known when the stack is deployed: DescribeJobLogItems is pinned to this partition, region and account's jobs (job/*), DescribeRecoverySnapshots and ListLaunchActions to its source servers (source-server/*), the narrowest the Service Authorization Reference allows.";

export function drsStatements(scope: IConstruct, actions: readonly string[], sid?: string): iam.PolicyStatement[] {
  const { partition, region, account } = Stack.of(scope);
  const byResource = new Map<string, string[]>();
  for (const action of actions) {
    const type = DRS_ACTION_RESOURCE_TYPES[action];
    const resource = type ? `arn:${partition}:drs:${region}:${account}:${type}/*` : '*';
    byResource.set(resource, [...(byResource.get(resource) ?? []), action]);
  }
  return [...byResource].map(
    ([resource, grouped]) =>
      new iam.PolicyStatement({
        ...(sid ? { sid: resource === '*' ? sid : `${sid}InThisAccount` } : {}),
        actions: grouped,
        resources: [resource],
      }),
  );
}

/** `drs:StartRecovery` and the DRS actions DRS authorizes against the caller while it launches. */
export const DRS_LAUNCH_ACTIONS = [
  'drs:StartRecovery',
  // Dependent actions of StartRecovery in the Service Authorization Reference:
  'drs:CreateRecoveryInstanceForDrs',
  'drs:ListTagsForResource',
  // StartRecovery with `tags` (every wave's job is tagged with its execution, plan and wave)
  // is also authorized as drs:TagResource on the new job: granted apart, see TAG_ON_CREATE.
  'drs:TagResource',
] as const;

/**
 * drs:TagResource only as part of creating a resource, never on an existing one. DRS authorizes
 * the tags of StartRecovery as drs:TagResource on the job it creates (`drs:CreateAction` =
 * `StartRecovery`), and the recovery instances it creates on the caller's behalf through
 * drs:CreateRecoveryInstanceForDrs (the DRS user guide, "Grant permission to tag resources during
 * creation"). It cannot be narrowed further: the job and instance IDs exist only once DRS creates
 * them (so `job/*`, `recovery-instance/*` of this account and region), and the tag keys of a recovery
 * instance are DRS's (it copies the source server's), so `aws:TagKeys` is left open.
 */
export const TAG_ON_CREATE = {
  resourceTypes: ['job', 'recovery-instance'],
  createActions: ['StartRecovery', 'CreateRecoveryInstanceForDrs'],
} as const;

/** EC2 reads DRS makes with the caller's credentials while it launches (Describe* support no resource-level permissions). */
export const EC2_LAUNCH_READ_ACTIONS = [
  'ec2:DescribeAccountAttributes',
  'ec2:DescribeAvailabilityZones',
  'ec2:DescribeCapacityReservations',
  'ec2:DescribeHosts',
  'ec2:DescribeImages',
  'ec2:DescribeInstanceAttribute',
  'ec2:DescribeInstanceStatus',
  'ec2:DescribeInstanceTypeOfferings',
  'ec2:DescribeInstanceTypes',
  'ec2:DescribeInstances',
  'ec2:DescribeKeyPairs',
  'ec2:DescribeLaunchTemplateVersions',
  'ec2:DescribeLaunchTemplates',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSnapshots',
  'ec2:DescribeSubnets',
  'ec2:DescribeVolumes',
  'ec2:GetEbsDefaultKmsKeyId',
  'ec2:GetEbsEncryptionByDefault',
  'ec2:GetInstanceTypesFromInstanceRequirements',
] as const;

/** The instance roles DRS attaches to conversion servers and recovery instances (created when DRS is initialized). */
export const DRS_INSTANCE_ROLES = [
  'AWSElasticDisasterRecoveryConversionServerRole',
  'AWSElasticDisasterRecoveryRecoveryInstanceRole',
  'AWSElasticDisasterRecoveryRecoveryInstanceWithLaunchActionsRole',
] as const;

/**
 * The AWS managed policy the DRS user guide names for post-launch actions: "Automation actions run with
 * the credentials of the same IAM entity that started the drill, recovery or failback ... attach the
 * AWSElasticDisasterRecoveryLaunchActionsPolicy". Every SSM write in it is conditioned on
 * `aws:CalledVia = drs.amazonaws.com`; AWS keeps its list of Amazon-owned SSM documents current.
 */
export const LAUNCH_ACTIONS_MANAGED_POLICY = 'AWSElasticDisasterRecoveryLaunchActionsPolicy';

/**
 * What the caller of StartRecovery must be allowed so that DRS can launch the recovery instances.
 *
 * StartRecovery is not only `drs:StartRecovery`: DRS launches the conversion servers and recovery
 * instances with forward access sessions of the caller, so a role that holds only `drs:StartRecovery`
 * gets a job that ends COMPLETED with every server FAILED (`UnauthorizedOperation` on
 * CreateLaunchTemplateVersion, RunInstances, ... in the job log): the "DRS jobs failed — IAM
 * permissions?" report.
 *
 * Sources:
 * - the action list: the dependent actions of `drs:StartRecovery` in the Service Authorization
 *   Reference (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticdisasterrecovery.html);
 * - resources and conditions: the launch statements of the AWS managed policy
 *   AWSElasticDisasterRecoveryConsoleFullAccess_v2 (version v9, 2026-02-12; statements
 *   ConsoleFullAccess3, 8-27 and 38-44), narrowed from `arn:aws:ec2:*:*` to this partition, region and
 *   account, without its console-only reads (KMS, S3, CloudFormation, License Manager, ELB,
 *   GetConsoleOutput/Screenshot) and without `drs:*`;
 * - post-launch actions: {@link LAUNCH_ACTIONS_MANAGED_POLICY}.
 *
 * Every EC2 write keeps the managed policy's conditions: only through an AWS service
 * (`aws:ViaAWSService`) or DRS (`aws:CalledVia`), and only on resources DRS tags
 * `AWSElasticDisasterRecoveryManaged` (or `AWSDRS=AllowLaunchingIntoThisInstance` for launching into an
 * existing instance). The function cannot start, stop or terminate instances by calling EC2 itself.
 */
export function recoveryLaunchStatements(
  scope: IConstruct,
  options: { recoveryInstanceRoleArns?: readonly string[] } = {},
): iam.PolicyStatement[] {
  const { partition, region, account } = Stack.of(scope);
  // Own-account resources pin the account; images, subnets, VPCs and security groups may be owned by
  // another account (public or shared AMIs, shared VPCs) and keep `*` for the account, as the managed policy does.
  const ec2 = (type: string, owner: 'own' | 'any' = 'own') =>
    `arn:${partition}:ec2:${region}:${owner === 'own' ? account : '*'}:${type}/*`;
  const instance = ec2('instance');
  const volume = ec2('volume');
  const snapshot = ec2('snapshot');
  const launchTemplate = ec2('launch-template');
  const networkInterface = ec2('network-interface');
  const fleet = ec2('fleet');
  const securityGroup = ec2('security-group', 'any');
  const subnet = ec2('subnet', 'any');
  const image = ec2('image', 'any');
  const vpc = ec2('vpc', 'any');

  const viaService = { Bool: { 'aws:ViaAWSService': 'true' } };
  const calledViaDrs = { 'ForAnyValue:StringEquals': { 'aws:CalledVia': ['drs.amazonaws.com'] } };
  const drsManaged = { Null: { 'aws:ResourceTag/AWSElasticDisasterRecoveryManaged': 'false' } };
  const drsManagedEc2Key = { Null: { 'ec2:ResourceTag/AWSElasticDisasterRecoveryManaged': 'false' } };
  const taggedDrsManaged = { Null: { 'aws:RequestTag/AWSElasticDisasterRecoveryManaged': 'false' } };
  const statement = (sid: string, actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
    new iam.PolicyStatement({ sid, actions, resources, ...(conditions ? { conditions } : {}) });

  return [
    ...drsStatements(
      scope,
      DRS_LAUNCH_ACTIONS.filter((action) => action !== 'drs:TagResource'),
      'StartRecoveryJobs',
    ),
    statement(
      'TagOnlyWhatStartRecoveryCreates',
      ['drs:TagResource'],
      TAG_ON_CREATE.resourceTypes.map((type) => `arn:${partition}:drs:${region}:${account}:${type}/*`),
      { StringEquals: { 'drs:CreateAction': [...TAG_ON_CREATE.createActions] } },
    ),
    statement('ReadWhatTheLaunchNeeds', [...EC2_LAUNCH_READ_ACTIONS], ['*']),
    statement(
      'PassTheDrsInstanceRoles',
      ['iam:PassRole'],
      [
        ...DRS_INSTANCE_ROLES.map((name) => `arn:${partition}:iam::${account}:role/service-role/${name}`),
        ...(options.recoveryInstanceRoleArns ?? []),
      ],
      { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
    ),
    statement('CreateDrsLaunchTemplates', ['ec2:CreateLaunchTemplate'], [launchTemplate], taggedDrsManaged),
    statement(
      'UpdateDrsLaunchTemplates',
      [
        'ec2:CreateLaunchTemplateVersion',
        'ec2:ModifyLaunchTemplate',
        'ec2:DeleteLaunchTemplateVersions',
        'ec2:CreateTags',
        'ec2:DeleteTags',
      ],
      [launchTemplate],
      drsManaged,
    ),
    statement('RunDrsInstances', ['ec2:RunInstances'], [instance], { ...taggedDrsManaged, ...viaService }),
    statement(
      'RunDrsInstancesWith',
      ['ec2:RunInstances'],
      [securityGroup, volume, subnet, image, networkInterface, launchTemplate],
      viaService,
    ),
    statement(
      'CreateDrsFleets',
      ['ec2:CreateFleet'],
      [instance, fleet, volume, subnet, image, launchTemplate],
      calledViaDrs,
    ),
    statement(
      'ManageDrsInstances',
      [
        'ec2:StartInstances',
        'ec2:StopInstances',
        'ec2:TerminateInstances',
        'ec2:ModifyInstanceAttribute',
        'ec2:AssociateIamInstanceProfile',
      ],
      [instance],
      { ...drsManaged, ...viaService },
    ),
    statement('MoveVolumesOfDrsInstances', ['ec2:AttachVolume', 'ec2:DetachVolume'], [instance], {
      ...drsManagedEc2Key,
      ...viaService,
    }),
    statement(
      'LaunchIntoExistingInstances',
      ['ec2:AttachVolume', 'ec2:DetachVolume', 'ec2:StartInstances'],
      [instance],
      { StringEquals: { 'ec2:ResourceTag/AWSDRS': 'AllowLaunchingIntoThisInstance' }, ...calledViaDrs },
    ),
    statement('AttachDrsVolumes', ['ec2:AttachVolume'], [volume], { ...drsManagedEc2Key, ...viaService }),
    statement('DetachVolumes', ['ec2:DetachVolume'], [volume], viaService),
    statement('CreateDrsVolumes', ['ec2:CreateVolume'], [volume], { ...taggedDrsManaged, ...viaService }),
    statement('CreateVolumesFromDrsSnapshots', ['ec2:CreateVolume'], [snapshot], { ...drsManaged, ...viaService }),
    statement('DeleteDrsVolumes', ['ec2:DeleteVolume'], [volume], { ...drsManaged, ...viaService }),
    statement('SnapshotDrsVolumes', ['ec2:CreateSnapshot'], [volume], { ...drsManagedEc2Key, ...viaService }),
    statement('CreateDrsSnapshots', ['ec2:CreateSnapshot'], [snapshot], { ...taggedDrsManaged, ...viaService }),
    statement('DeleteDrsSnapshots', ['ec2:DeleteSnapshot'], [snapshot], { ...drsManaged, ...viaService }),
    statement('CreateSecurityGroupsInVpcs', ['ec2:CreateSecurityGroup'], [vpc]),
    statement('CreateDrsSecurityGroups', ['ec2:CreateSecurityGroup'], [securityGroup], {
      ...taggedDrsManaged,
      ...viaService,
    }),
    statement(
      'ManageDrsSecurityGroupRules',
      ['ec2:AuthorizeSecurityGroupIngress', 'ec2:AuthorizeSecurityGroupEgress', 'ec2:RevokeSecurityGroupEgress'],
      [securityGroup],
      { ...drsManaged, ...viaService },
    ),
    statement('CreateDrsNetworkInterfaces', ['ec2:CreateNetworkInterface'], [networkInterface], {
      ...taggedDrsManaged,
      ...viaService,
    }),
    statement('CreateNetworkInterfacesIn', ['ec2:CreateNetworkInterface'], [subnet, securityGroup]),
    statement('ShareDrsNetworkInterfaces', ['ec2:CreateNetworkInterfacePermission'], [networkInterface], {
      ...drsManaged,
      ...viaService,
    }),
    statement('TagWhatDrsCreates', ['ec2:CreateTags'], [securityGroup, volume, snapshot, instance, networkInterface], {
      StringEquals: {
        'ec2:CreateAction': [
          'CreateSecurityGroup',
          'CreateVolume',
          'CreateSnapshot',
          'RunInstances',
          'CreateNetworkInterface',
        ],
      },
      ...viaService,
    }),
    statement('TagDrsLaunchTemplates', ['ec2:CreateTags'], [launchTemplate], {
      StringEquals: { 'ec2:CreateAction': ['CreateLaunchTemplate'] },
    }),
    statement('TagDrsFleetInstances', ['ec2:CreateTags'], [securityGroup, volume, snapshot, instance], {
      StringEquals: { 'ec2:CreateAction': ['CreateFleet'] },
      ...calledViaDrs,
    }),
  ];
}

/** Every resource pattern with a wildcard in the launch statements (for the IAM5 acknowledgements). */
export function wildcardResourcesOf(statements: readonly iam.PolicyStatement[]): string[] {
  return [...new Set(statements.flatMap((s) => s.resources).filter((r) => r.includes('*')))];
}
