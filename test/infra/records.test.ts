import type { CfnElement } from 'aws-cdk-lib';
import { EXECUTION_INDEXES, EXECUTIONS_TABLE_KEYS, PLANS_TABLE_KEYS } from '../../functions/shared/records/keys';
import { executionsTableInput, plansTableInput } from '../../local/dynamodb';
import { resourcesOf, synthesize } from './synth';

const { stack, template } = synthesize();
const tables = resourcesOf(template, 'AWS::DynamoDB::Table');
const id = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement);
const executions = tables[id(stack.records.executions)];
const plans = tables[id(stack.records.plans)];

describe('the tables', () => {
  it('are the executions and the plans tables, nothing else', () => {
    expect(Object.keys(tables).sort()).toEqual([id(stack.records.executions), id(stack.records.plans)].sort());
  });

  it.each([
    ['executions', executions],
    ['plans', plans],
  ])(
    '%s: on-demand, point-in-time recovery, encrypted, deletion-protected, kept when the stack is deleted',
    (_, table) => {
      expect(table?.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
      });
      expect(table?.DeletionPolicy).toBe('Retain');
      expect(table?.UpdateReplacePolicy).toBe('Retain');
    },
  );

  it('executions: keyed pk/sk (strings), the same schema as the local stack', () => {
    // Literal names on purpose: renaming a key attribute replaces the deployed table.
    expect(EXECUTIONS_TABLE_KEYS).toEqual({ partitionKey: 'pk', sortKey: 'sk' });
    expect(executions?.Properties.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    const local = executionsTableInput('executions');
    expect(executions?.Properties.KeySchema).toEqual(local.KeySchema);
    expect(executions?.Properties.GlobalSecondaryIndexes).toEqual(local.GlobalSecondaryIndexes);
    expect(executions?.Properties.AttributeDefinitions).toEqual(local.AttributeDefinitions);
  });

  it('executions: has exactly the EXECUTION_INDEXES, with ALL attributes projected', () => {
    const indexes = Object.values(EXECUTION_INDEXES);
    expect(executions?.Properties.GlobalSecondaryIndexes).toEqual(
      indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: 'HASH' },
          { AttributeName: index.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    );
    const definitions = (executions?.Properties.AttributeDefinitions ?? []) as {
      AttributeName: string;
      AttributeType: string;
    }[];
    const attributes = definitions.map((a) => `${a.AttributeName}:${a.AttributeType}`).sort();
    expect(attributes).toEqual(
      ['pk', 'sk', ...indexes.flatMap((index) => [index.partitionKey, index.sortKey])].map((n) => `${n}:S`).sort(),
    );
  });

  it('plans: keyed by planId (string), no sort key, no index', () => {
    expect(plans?.Properties.KeySchema).toEqual([{ AttributeName: PLANS_TABLE_KEYS.partitionKey, KeyType: 'HASH' }]);
    expect(plans?.Properties.AttributeDefinitions).toEqual([
      { AttributeName: PLANS_TABLE_KEYS.partitionKey, AttributeType: 'S' },
    ]);
    expect(plans?.Properties.GlobalSecondaryIndexes).toBeUndefined();
    const local = plansTableInput('plans');
    expect(plans?.Properties.KeySchema).toEqual(local.KeySchema);
    expect(plans?.Properties.AttributeDefinitions).toEqual(local.AttributeDefinitions);
  });

  it('are named by the stack outputs the CLI reads', () => {
    template.hasOutput('ExecutionsTableName', { Value: { Ref: id(stack.records.executions) } });
    template.hasOutput('PlansTableName', { Value: { Ref: id(stack.records.plans) } });
  });
});
