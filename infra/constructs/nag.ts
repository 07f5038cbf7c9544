import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag 3 acknowledgements, always on the narrowest construct that carries the finding and, for
 * findings with several parts (IAM4, IAM5), one acknowledgement per part: `AwsSolutions-IAM5[Resource::…]`.
 */
export function acknowledge(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: rule, reason });
}

/** Acknowledges IAM5 for each given resource (a string that may hold tokens), as cdk-nag names it. */
export function acknowledgeWildcardResources(scope: IConstruct, resources: readonly string[], reason: string): void {
  for (const resource of resources) {
    acknowledge(scope, `AwsSolutions-IAM5[Resource::${nagName(scope, resource)}]`, reason);
  }
}

/**
 * The name cdk-nag gives a resource in an IAM finding: the resolved value with `Ref` as `<Name>`,
 * `Fn::GetAtt` as `<Name.Attr>` and `Fn::Join` joined (the same flattening as cdk-nag's own).
 */
export function nagName(scope: IConstruct, value: string): string {
  return flatten(Stack.of(scope).resolve(value));
}

function flatten(node: unknown): string {
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/}/g, '>');
  if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if ('Fn::Join' in o) {
      const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if ('Fn::Sub' in o) return flatten(o['Fn::Sub']);
    if ('Fn::GetAtt' in o) {
      const [resource, attribute] = o['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(resource)}.${flatten(attribute)}>`;
    }
    if ('Ref' in o) return `<${flatten(o.Ref)}>`;
  }
  return JSON.stringify(node);
}
