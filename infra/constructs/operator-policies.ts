import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, type IConstruct } from 'constructs';
import { API_ROUTES, type ApiRoute, type RouteAccess } from '../../functions/api/routes';
import { acknowledgeWildcardResources } from './nag';

export interface OperatorPoliciesProps {
  readonly api: RestApi;
  readonly stageName: string;
}

/** Who may call which routes: the drill operator the read and drill routes, the recovery operator also the recovery ones. */
export const OPERATOR_ACCESS = {
  drillOperator: ['read', 'drill'],
  recoveryOperator: ['read', 'drill', 'recovery'],
} as const satisfies Record<string, readonly RouteAccess[]>;

/**
 * The two managed policies an account attaches to the people and pipelines that run plans:
 * `execute-api:Invoke` on exactly the routes of their access (API_ROUTES says which route is
 * which), nothing else. A drill operator can read plans and executions and start DRILLs; only a
 * recovery operator can start a RECOVERY or cancel an execution. Neither may create, replace or
 * delete plans (what a run launches): grant those routes apart, to whoever authors plans.
 */
export class OperatorPolicies extends Construct {
  readonly drillOperator: iam.ManagedPolicy;
  readonly recoveryOperator: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: OperatorPoliciesProps) {
    super(scope, id);
    this.drillOperator = this.policy(
      'DrillOperator',
      props,
      OPERATOR_ACCESS.drillOperator,
      'read plans and executions, start DRILLs',
    );
    this.recoveryOperator = this.policy(
      'RecoveryOperator',
      props,
      OPERATOR_ACCESS.recoveryOperator,
      'read plans and executions, start DRILLs and RECOVERYs, cancel executions',
    );
  }

  private policy(
    id: string,
    props: OperatorPoliciesProps,
    access: readonly RouteAccess[],
    what: string,
  ): iam.ManagedPolicy {
    const routes = API_ROUTES.filter((route) => access.includes(route.access));
    const resources = routeResources(props.api, props.stageName, routes);
    const policy = new iam.ManagedPolicy(this, id, {
      description: `drs-orchestrator API, ${id.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}: ${what}`,
      statements: [new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources })],
    });
    acknowledgeRouteWildcards(policy, props.api, props.stageName, routes);
    return policy;
  }
}

/** The execute-api ARNs of exactly these routes of the API's stage (method and path, each `{parameter}` a `*`). */
export function routeResources(api: RestApi, stageName: string, routes: readonly ApiRoute[]): string[] {
  return routes.map((route) => api.arnForExecuteApi(route.method, iamPath(route), stageName));
}

/** cdk-nag IAM5, per route ARN with a path parameter, on the policy that grants these routes. */
export function acknowledgeRouteWildcards(
  policy: IConstruct,
  api: RestApi,
  stageName: string,
  routes: readonly ApiRoute[],
): void {
  acknowledgeWildcardResources(
    policy,
    routeResources(
      api,
      stageName,
      routes.filter((route) => iamPath(route).includes('*')),
    ),
    "One route for every plan or execution: the wildcard stands for the path parameter, with the method, stage and the route's last segment fixed (no route of another access ends the same way under the same method: test/infra/operator-policies.test.ts).",
  );
}

/** The route's path as an execute-api resource: each `{parameter}` a `*`. */
export function iamPath(route: Pick<ApiRoute, 'path'>): string {
  return route.path.replace(/\{[^}]+\}/g, '*');
}
