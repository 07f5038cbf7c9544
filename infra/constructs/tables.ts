import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { EXECUTION_INDEXES, EXECUTIONS_TABLE_KEYS, PLANS_TABLE_KEYS } from '../../functions/shared/records/keys';

/**
 * The two tables: the execution records (executions, waves, servers) and the recovery plans.
 *
 * Both are RETAIN with deletion protection: the execution history is the evidence of every drill and
 * recovery (what was launched, when, and why a wave failed), which auditors ask for long after the
 * stack is gone, and the plans are the operators' work. Deleting the stack leaves both tables; delete
 * them by hand when they are truly no longer needed. Their keys and indexes come from the records' key
 * scheme (`functions/shared/records/keys.ts`), as the local tables' do. On-demand billing (drills are bursty), point-in-time
 * recovery, and encryption at rest with the AWS managed key.
 */
export class RecordTables extends Construct {
  readonly executions: Table;
  readonly plans: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const common = {
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    };

    this.executions = new Table(this, 'Executions', {
      ...common,
      partitionKey: { name: EXECUTIONS_TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: EXECUTIONS_TABLE_KEYS.sortKey, type: AttributeType.STRING },
    });
    for (const index of Object.values(EXECUTION_INDEXES)) {
      this.executions.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }

    this.plans = new Table(this, 'Plans', {
      ...common,
      partitionKey: { name: PLANS_TABLE_KEYS.partitionKey, type: AttributeType.STRING },
    });
  }
}
