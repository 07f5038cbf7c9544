import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
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
    const resources = routes.map((route) => props.api.arnForExecuteApi(route.method, iamPath(route), props.stageName));
    const policy = new iam.ManagedPolicy(this, id, {
      description: `drs-orchestrator API, ${id.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}: ${what}`,
      statements: [new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources })],
    });
    acknowledgeWildcardResources(
      policy,
      resources.filter((_, i) => iamPath(routes[i] as ApiRoute).includes('*')),
      "One route for every plan or execution: the wildcard stands for the path parameter, with the method, stage and the route's last segment fixed (no route of another access ends the same way under the same method: test/infra/operator-policies.test.ts).",
    );
    return policy;
  }
}

/** The route's path as an execute-api resource: each `{parameter}` a `*`. */
export function iamPath(route: Pick<ApiRoute, 'path'>): string {
  return route.path.replace(/\{[^}]+\}/g, '*');
}
