import type { CfnElement } from 'aws-cdk-lib';
import type { Method } from 'aws-cdk-lib/aws-apigateway';
import { API_ROUTES } from '../../functions/api/routes';
import { PLAN_LIMITS } from '../../functions/shared/plan-rules';
import { requestModelOf } from '../../infra/constructs/request-models';
import { STACK_OUTPUTS } from '../../infra/stacks/drs-orchestrator-stack';
import { resourcesOf, synthesize } from './synth';

const { stack, template } = synthesize();
const id = (construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as CfnElement);
const api = stack.api.api;
const methods = resourcesOf(template, 'AWS::ApiGateway::Method');
const validators = resourcesOf(template, 'AWS::ApiGateway::RequestValidator');
const models = resourcesOf(template, 'AWS::ApiGateway::Model');
const methodOf = (route: (typeof API_ROUTES)[number]) =>
  api.root.resourceForPath(route.path).node.tryFindChild(route.method) as Method | undefined;

describe('the REST API', () => {
  it('has one method per route of API_ROUTES, and no other', () => {
    expect(Object.keys(methods)).toHaveLength(API_ROUTES.length);
    for (const route of API_ROUTES) expect(methodOf(route)).toBeDefined();
  });

  it('authorizes every method with IAM (SigV4)', () => {
    for (const method of Object.values(methods)) expect(method.Properties.AuthorizationType).toBe('AWS_IAM');
  });

  it('validates bodies and parameters with one request validator on every method', () => {
    expect(Object.values(validators).map((v) => v.Properties)).toEqual([
      {
        RestApiId: { Ref: id(api) },
        Name: 'body-and-parameters',
        ValidateRequestBody: true,
        ValidateRequestParameters: true,
      },
    ]);
    const validatorId = Object.keys(validators)[0] as string;
    for (const method of Object.values(methods)) {
      expect(method.Properties.RequestValidatorId).toEqual({ Ref: validatorId });
    }
  });

  it.each(API_ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s: its operation, path parameters, body model and Lambda proxy integration',
    (_, route) => {
      const props = methods[id(methodOf(route) as Method)]?.Properties as Record<string, unknown>;
      expect(props.HttpMethod).toBe(route.method);
      expect(props.OperationName).toBe(route.operationId);
      const pathParameters = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => `method.request.path.${m[1]}`);
      expect(Object.keys((props.RequestParameters ?? {}) as object).sort()).toEqual(pathParameters.sort());
      if (route.bodySchema) {
        const modelId = id(stack.api.models[route.operationId] as never);
        expect(props.RequestModels).toEqual({ 'application/json': { Ref: modelId } });
        expect(models[modelId]?.Properties.Schema).toEqual(requestModelOf(route.bodySchema));
        expect(models[modelId]?.Properties.ContentType).toBe('application/json');
      } else {
        expect(props.RequestModels).toBeUndefined();
      }
      expect(props.Integration).toMatchObject({ Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' });
      expect(JSON.stringify(props.Integration)).toContain(id(stack.api.handler.function));
    },
  );

  it("carries the plan limits of the plan schema in the plan routes' body models", () => {
    for (const operationId of ['createPlan', 'putPlan']) {
      const schema = models[id(stack.api.models[operationId] as never)]?.Properties.Schema as {
        properties: Record<string, { maxLength?: number; maxItems?: number }>;
      };
      expect({ operationId, waves: schema.properties.waves?.maxItems }).toEqual({
        operationId,
        waves: PLAN_LIMITS.maxWaves,
      });
      expect({ operationId, name: schema.properties.name?.maxLength }).toEqual({
        operationId,
        name: PLAN_LIMITS.maxNameLength,
      });
    }
  });

  it('has a model for each route with a body, and no other', () => {
    expect(Object.keys(models)).toHaveLength(API_ROUTES.filter((route) => route.bodySchema).length);
  });

  it('serves stage v1 with X-Ray tracing, execution logging and access logs to its own log group', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      TracingEnabled: true,
      MethodSettings: [
        { HttpMethod: '*', ResourcePath: '/*', LoggingLevel: 'INFO', DataTraceEnabled: false, MetricsEnabled: true },
      ],
      AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': [id(stack.api.accessLogs), 'Arn'] } },
    });
    const accessLogs = resourcesOf(template, 'AWS::Logs::LogGroup')[id(stack.api.accessLogs)];
    expect(accessLogs?.Properties.RetentionInDays).toBe(365);
    expect(accessLogs?.DeletionPolicy).toBe('Retain');
  });

  it('logs who called (the IAM caller and user ARN) in the access log', () => {
    const stages = Object.values(resourcesOf(template, 'AWS::ApiGateway::Stage'));
    expect(stages).toHaveLength(1);
    const format = stages.map((stage) => (stage.Properties.AccessLogSetting as { Format: string }).Format)[0] as string;
    expect(JSON.parse(format)).toMatchObject({
      caller: '$context.identity.caller',
      userArn: '$context.identity.userArn',
    });
  });

  it("sets the account's API Gateway logging role, and keeps it when the stack is deleted", () => {
    const account = Object.values(resourcesOf(template, 'AWS::ApiGateway::Account'));
    expect(account).toHaveLength(1);
    const roleArn = account[0]?.Properties.CloudWatchRoleArn as { 'Fn::GetAtt': [string, string] } | undefined;
    const roleId = roleArn?.['Fn::GetAtt'][0] as string;
    expect(resourcesOf(template, 'AWS::IAM::Role')[roleId]?.DeletionPolicy).toBe('Retain');
  });
});

describe('the stack outputs', () => {
  it('are the seven the CLI and the docs read, and no other', () => {
    expect(Object.keys(template.toJSON().Outputs).sort()).toEqual(Object.values(STACK_OUTPUTS).sort());
  });

  it('name the state machine, the API URL (stage v1), the tables and the topic', () => {
    template.hasOutput('StateMachineArn', { Value: { Ref: id(stack.workflow.stateMachine) } });
    template.hasOutput('NotificationTopicArn', { Value: { Ref: id(stack.notifications.topic) } });
    template.hasOutput('ExecutionsTableName', { Value: { Ref: id(stack.records.executions) } });
    template.hasOutput('PlansTableName', { Value: { Ref: id(stack.records.plans) } });
    const url = JSON.stringify(template.toJSON().Outputs.ApiUrl.Value);
    expect(url).toContain(`{"Ref":"${id(api)}"}`);
    expect(url).toContain('.execute-api.');
    expect(url).toContain(`{"Ref":"${id(api.deploymentStage)}"}`);
  });
});
