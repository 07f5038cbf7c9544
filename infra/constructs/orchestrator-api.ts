import { Arn, ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  type JsonSchema,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  type Model,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { z } from 'zod';
import { API_ROUTES, type ApiRoute } from '../../functions/api/routes';
import { ENV } from '../../functions/shared/env';
import { DRS_ACTIONS, drsStatements, PINNED_DRS_REASON, wildcardResourcesOf } from './drs-permissions';
import { acknowledge, acknowledgeWildcardResources } from './nag';
import { OrchestratorFunction } from './orchestrator-function';
import { requestModelOf } from './request-models';

export const API_STAGE_NAME = 'v1';

export interface OrchestratorApiProps {
  readonly executionsTable: ITable;
  readonly plansTable: ITable;
  readonly stateMachine: IStateMachine;
  /** The drill cleanup workflow, started by `POST /executions/{executionId}/cleanup`. */
  readonly cleanupStateMachine: IStateMachine;
  /**
   * DRS_MAX_* overrides for the start route's preflight.
   * @default - the DRS quotas' documented defaults
   */
  readonly preflightEnvironment?: Readonly<Record<string, string>>;
  /**
   * The `v1` stage's throttling, requests per second and burst (contexts `apiThrottlingRateLimit`,
   * `apiThrottlingBurstLimit`): a flood of API calls is refused with 429 before it reaches a Lambda.
   * @default DEFAULT_API_THROTTLING
   */
  readonly throttling?: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * Whether the stack sets API Gateway's account-wide CloudWatch logging role (context
   * `apiGatewayCloudWatchRole`). It is one setting per account and region: true replaces whatever
   * role the account had (kept on delete); false leaves the account's role alone, which must then
   * exist, or the stage's execution logging cannot be turned on (docs/deploy.md).
   * @default true
   */
  readonly cloudWatchRole?: boolean;
}

/** The stage's default throttling: far above what operators and the CLI need, far below API Gateway's account limit. */
export const DEFAULT_API_THROTTLING = { rateLimit: 10, burstLimit: 20 } as const;

/**
 * The REST API, built from `API_ROUTES` (the one route list the Lambda router also uses): every
 * method IAM-authorized (SigV4), bodies and path parameters validated by API Gateway against the
 * coarse model generated from the route's zod schema before the function runs, a Lambda proxy integration, access and
 * execution logs, X-Ray tracing, stage `v1`.
 */
export class OrchestratorApi extends Construct {
  readonly api: RestApi;
  readonly handler: OrchestratorFunction;
  readonly accessLogs: LogGroup;
  /** operationId → the request body model of the routes that have a body. */
  readonly models: Readonly<Record<string, Model>>;

  constructor(scope: Construct, id: string, props: OrchestratorApiProps) {
    super(scope, id);

    this.handler = new OrchestratorFunction(this, 'Handler', {
      code: 'api',
      description: 'The REST API: plans, executions, start, cancel and drill cleanup',
      // API Gateway gives up on an integration after 29 s.
      timeout: Duration.seconds(29),
      wildcardResourceReason:
        "The start route's preflight reads DRS (DescribeSourceServers, DescribeJobs) across the account: DescribeJobs supports no resource-level permissions, and the AWS managed DRS policies grant them on *.",
      memorySize: 512,
      environment: {
        [ENV.executionsTableName]: props.executionsTable.tableName,
        [ENV.plansTableName]: props.plansTable.tableName,
        [ENV.stateMachineArn]: props.stateMachine.stateMachineArn,
        [ENV.cleanupStateMachineArn]: props.cleanupStateMachine.stateMachineArn,
        ...props.preflightEnvironment,
      },
    });
    const role = this.handler.role;
    props.executionsTable.grantReadWriteData(role);
    props.plansTable.grantReadWriteData(role);
    props.stateMachine.grantStartExecution(role);
    const drs = drsStatements(this, DRS_ACTIONS.api);
    for (const statement of drs) role.addToPrincipalPolicy(statement);
    acknowledgeWildcardResources(
      role,
      wildcardResourcesOf(drs).filter((resource) => resource !== '*'),
      PINNED_DRS_REASON,
    );
    // Stop and describe only this workflow's executions: arn:<partition>:states:<region>:<account>:execution:<name>:*
    props.stateMachine.grantExecution(role, 'states:StopExecution', 'states:DescribeExecution');
    // An approval gate's decision (SendTaskSuccess/SendTaskFailure with the gate's task token). Step
    // Functions authorizes these against the state machine the token's execution runs (its AccessDenied
    // names `...:stateMachine:<name>`), so they are granted on this workflow alone, never on `*`.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['states:SendTaskSuccess', 'states:SendTaskFailure'],
        resources: [props.stateMachine.stateMachineArn],
      }),
    );
    acknowledgeWildcardResources(
      role,
      [`${props.executionsTable.tableArn}/index/*`],
      "Lists executions through the executions table's indexes; the wildcard is the table's own index ARNs.",
    );
    acknowledgeWildcardResources(
      role,
      [`${executionArnPrefix(props.stateMachine)}:*`],
      'Stops and describes executions of this one state machine; execution names are chosen per start, so the ARN ends in a wildcard.',
    );

    // RETAIN: who called the API, when, and with what result is part of the audit trail (kept one year).
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.api = new RestApi(this, 'RestApi', {
      restApiName: 'drs-orchestrator',
      description: 'drs-orchestrator: recovery plans and their executions (IAM-authorized)',
      endpointTypes: [EndpointType.REGIONAL],
      // Execution logging needs the account's API Gateway CloudWatch role (one per account and region):
      // true REPLACES the account's setting (docs/deploy.md, docs/security.md). RETAIN: other APIs in
      // the account rely on the same setting.
      cloudWatchRole: props.cloudWatchRole ?? true,
      ...(props.cloudWatchRole === false ? {} : { cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN }),
      defaultMethodOptions: { authorizationType: AuthorizationType.IAM },
      deployOptions: {
        stageName: API_STAGE_NAME,
        // API traffic is bounded before any Lambda runs, so it cannot crowd out a running recovery.
        throttlingRateLimit: (props.throttling ?? DEFAULT_API_THROTTLING).rateLimit,
        throttlingBurstLimit: (props.throttling ?? DEFAULT_API_THROTTLING).burstLimit,
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: MethodLoggingLevel.INFO,
        // Request and response bodies (plans) stay out of the execution log.
        dataTraceEnabled: false,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        accessLogFormat: AccessLogFormat.custom(
          JSON.stringify({
            requestId: AccessLogField.contextRequestId(),
            requestTime: AccessLogField.contextRequestTime(),
            httpMethod: AccessLogField.contextHttpMethod(),
            resourcePath: AccessLogField.contextResourcePath(),
            status: AccessLogField.contextStatus(),
            responseLength: AccessLogField.contextResponseLength(),
            ip: AccessLogField.contextIdentitySourceIp(),
            caller: AccessLogField.contextIdentityCaller(),
            userArn: AccessLogField.contextIdentityUserArn(),
            errorMessage: AccessLogField.contextErrorMessage(),
            integrationError: AccessLogField.contextIntegrationErrorMessage(),
          }),
        ),
      },
    });

    // The stack's ApiUrl output names the URL; drop RestApi's generated duplicate.
    this.api.node.tryRemoveChild('Endpoint');

    const validator = this.api.addRequestValidator('RequestValidator', {
      requestValidatorName: 'body-and-parameters',
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const integration = new LambdaIntegration(this.handler.function, { allowTestInvoke: false });
    const models: Record<string, Model> = {};
    for (const route of API_ROUTES) {
      const model = route.bodySchema ? this.modelFor(route, route.bodySchema) : undefined;
      if (model) models[route.operationId] = model;
      const pathParameters = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
      this.api.root.resourceForPath(route.path).addMethod(route.method, integration, {
        operationName: route.operationId,
        authorizationType: AuthorizationType.IAM,
        requestValidator: validator,
        requestParameters: Object.fromEntries(pathParameters.map((name) => [`method.request.path.${name}`, true])),
        ...(model ? { requestModels: { 'application/json': model } } : {}),
      });
    }
    this.models = models;

    acknowledge(
      this.api,
      'AwsSolutions-COG4',
      'Every method is authorized with IAM (SigV4, AuthorizationType AWS_IAM): callers are IAM principals of the account, not Cognito users, so a Cognito user pool authorizer does not apply.',
    );
    acknowledge(
      this.api.deploymentStage,
      'AwsSolutions-APIG3',
      'WAF is out of scope: the API is IAM-only, so an unsigned request is refused by API Gateway before any integration runs, and the callers are a few operators and pipelines of the account. Attach a web ACL to the v1 stage if your organisation requires one on every API.',
    );
    const cloudWatchRole = this.api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      acknowledge(
        cloudWatchRole,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        "API Gateway's account-level logging role: AmazonAPIGatewayPushToCloudWatchLogs is the policy AWS documents for it, and execution logging cannot be enabled without it.",
      );
    }
  }

  private modelFor(route: ApiRoute, body: z.ZodType): Model {
    const name = route.operationId.charAt(0).toUpperCase() + route.operationId.slice(1);
    return this.api.addModel(`${name}Model`, {
      modelName: `${name}Body`,
      contentType: 'application/json',
      description: `Request body of ${route.method} ${route.path}`,
      schema: toCdkJsonSchema(requestModelOf(body)) as JsonSchema,
    });
  }
}

/** `arn:<partition>:states:<region>:<account>:execution:<stateMachineName>`, as `grantExecution` writes it. */
function executionArnPrefix(stateMachine: IStateMachine): string {
  return Stack.of(stateMachine).formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: Arn.split(stateMachine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** The route's JSON Schema (draft-04, `$schema`/`$ref` keys) in CDK's form (`schema`/`ref`); the rest is the same. */
export function toCdkJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(toCdkJsonSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key === '$schema' ? 'schema' : key === '$ref' ? 'ref' : key,
      toCdkJsonSchema(value),
    ]),
  );
}
