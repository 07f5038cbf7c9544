import { join } from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../functions/shared/metric-names';
import { acknowledge } from './nag';

/** The repository root: entries, the lockfile and the ASL are found from here. */
export const REPO_ROOT = join(__dirname, '..', '..');

/** The Powertools settings every function shares (service name, log level, EMF namespace). */
export const POWERTOOLS_ENVIRONMENT = {
  POWERTOOLS_SERVICE_NAME: 'drs-orchestrator',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
} as const;

export interface OrchestratorFunctionProps {
  /** The function's directory under `functions/` (its entry is `functions/<code>/handler.ts`). */
  readonly code: string;
  readonly description: string;
  /** The function's own variables, added to the Powertools settings every function shares. */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * The workflow's task functions take theirs from their Task state (`taskTimeoutsOf`).
   * @default Duration.seconds(45)
   */
  readonly timeout?: Duration;
  /** @default 256 */
  readonly memorySize?: number;
  /**
   * Concurrency reserved for (and capping) this function; 0 or absent: none, the account's unreserved pool.
   * @default - none
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Why else this role needs `Resource: *` (beyond X-Ray), for the cdk-nag acknowledgement.
   * @default - X-Ray's reason only
   */
  readonly wildcardResourceReason?: string;
}

/**
 * One Lambda function of the orchestrator: Node.js 24 on arm64, bundled locally by esbuild, X-Ray
 * tracing, its own role (no AWS managed policy: it may write only to its own log group) and its own
 * log group with a retention.
 */
export class OrchestratorFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: LogGroup;
  /** The function's directory under `functions/`. */
  readonly code: string;

  constructor(scope: Construct, id: string, props: OrchestratorFunctionProps) {
    super(scope, id);
    this.code = props.code;

    // Operational logs, kept three months. DESTROY: the audit trail of executions is the retained
    // records table and the workflow's own log group, not these.
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `drs-orchestrator ${props.code}: ${props.description}`,
    });
    this.logGroup.grantWrite(this.role);

    this.function = new NodejsFunction(this, 'Function', {
      description: props.description,
      entry: join(REPO_ROOT, 'functions', props.code, 'handler.ts'),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(45),
      ...(props.reservedConcurrentExecutions
        ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions }
        : {}),
      tracing: Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      // Stack traces point into the TypeScript sources (bundling writes the source maps).
      environment: { ...POWERTOOLS_ENVIRONMENT, NODE_OPTIONS: '--enable-source-maps', ...props.environment },
      bundling: {
        format: OutputFormat.CJS,
        target: 'node24',
        minify: true,
        sourceMap: true,
        // Error class names must survive minification: the workflow's Retry/Catch match them.
        keepNames: true,
        // Bundle the AWS SDK too: the functions run the client versions the tests ran against
        // (client-drs is pinned), not whatever the Lambda runtime ships.
        externalModules: [],
      },
    });

    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      [
        'X-Ray PutTraceSegments and PutTelemetryRecords (added by active tracing) support no resource-level permissions, so they need Resource *.',
        props.wildcardResourceReason,
      ]
        .filter(Boolean)
        .join(' '),
    );
  }
}
