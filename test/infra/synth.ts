import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/app';
import type { DrsOrchestratorStack } from '../../infra/stacks/drs-orchestrator-stack';

export interface Synthesized {
  app: App;
  stack: DrsOrchestratorStack;
  template: Template;
}

/**
 * The real app (infra/app.ts, cdk-nag included), synthesized once per test file. Without `bundle`,
 * esbuild bundling is skipped (context `aws:cdk:bundling-stacks: []`): the template is the same, the
 * Lambda assets are not built. One suite bundles for real.
 */
/**
 * A stand-in for the console's build (console/dist, which tests do not build): an index.html and
 * one asset, made once per test file. The stack refuses to synthesize without an index.html.
 */
export function placeholderConsoleAssets(): string {
  const dir = mkdtempSync(join(tmpdir(), 'console-assets-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html lang="en"><title>console</title></html>\n');
  writeFileSync(join(dir, 'assets', 'app.js'), '// placeholder\n');
  return dir;
}

export function synthesize(options: { bundle?: boolean; context?: Record<string, unknown> } = {}): Synthesized {
  const app = new App({
    // CloudFormation's built-in template checks take seconds and are not what these tests test.
    builtinCloudFormationValidation: false,
    context: {
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      consoleAssetsDirectory: placeholderConsoleAssets(),
      ...options.context,
    },
  });
  const { stack } = buildApp(app);
  return { app, stack, template: Template.fromStack(stack) };
}

type Resources = Record<string, { Type: string; Properties: Record<string, unknown>; [key: string]: unknown }>;

/** The template's resources of one type, by logical ID. */
export function resourcesOf(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
  Principal?: unknown;
}

export const actionsOf = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

export const resourceListOf = (statement: Statement): unknown[] =>
  Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];

/** Every statement of the AWS::IAM::Policy resources attached to a role (by the role's logical ID). */
export function statementsOfRole(template: Template, roleId: string): Statement[] {
  return Object.values(resourcesOf(template, 'AWS::IAM::Policy'))
    .filter((policy) =>
      (policy.Properties.Roles as unknown[]).some((role) => JSON.stringify(role) === JSON.stringify({ Ref: roleId })),
    )
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

/** The logical ID of a construct's CloudFormation resource. */
export function logicalId(stack: DrsOrchestratorStack, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as never);
}
