import { createHash } from 'node:crypto';
import type { ExecutionType } from './types';

/**
 * Step Functions execution names, which are the orchestrator's execution IDs everywhere (records,
 * DRS tags, the console), and the ARNs built from them.
 */
export const MAX_EXECUTION_NAME_LENGTH = 80;

/** Plan IDs may hold '.', execution names may not: the name keeps the ID readable with '_' in its place. */
const namePart = (planId: string) => planId.replace(/[^A-Za-z0-9_-]/g, '_');

/** `20260101T000000` in UTC. */
export function compactTimestamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').slice(0, 15);
}

/**
 * A new execution's name: `<planId>-<drill|recovery>-<yyyymmddThhmmss>-<6 hex>`, the plan ID cut
 * short if the name would pass 80 characters. `randomHex` makes two starts in one second differ.
 */
export function executionName(args: {
  planId: string;
  executionType: ExecutionType;
  at: Date;
  randomHex: string;
}): string {
  const suffix = `-${args.executionType.toLowerCase()}-${compactTimestamp(args.at)}-${args.randomHex}`;
  return `${namePart(args.planId).slice(0, MAX_EXECUTION_NAME_LENGTH - suffix.length)}${suffix}`;
}

/** Hex digits of the idempotent name's hash: 96 bits, so distinct requests never meet by chance. */
export const IDEMPOTENCY_HASH_LENGTH = 24;

/**
 * The name of the execution an `Idempotency-Key` stands for: `<planId>-<24 hex>`, the hex the
 * start of sha256 over the caller (the IAM principal API Gateway signed the request for), the
 * plan ID as given and the key, encoded as one JSON array so no two distinct triples share an
 * input. The readable `<planId>` part may be lossy ('.' becomes '_', a long ID is cut); the hash
 * is not, so plans `a.b` and `a_b` get distinct names, and so do two callers using the same key.
 * The plan's version and the execution type are left out on purpose: a key reused for another
 * version or type must find the first execution, so that the API can answer 409 naming the
 * difference instead of starting a second execution.
 */
export function idempotentExecutionName(args: { planId: string; caller: string; idempotencyKey: string }): string {
  const scoped = JSON.stringify(['idempotency-key/v2', args.caller, args.planId, args.idempotencyKey]);
  const hash = createHash('sha256').update(scoped, 'utf8').digest('hex').slice(0, IDEMPOTENCY_HASH_LENGTH);
  const suffix = `-${hash}`;
  return `${namePart(args.planId).slice(0, MAX_EXECUTION_NAME_LENGTH - suffix.length)}${suffix}`;
}

/**
 * What Step Functions accepts as an execution name (1-80 characters; no whitespace, brackets,
 * wildcards, the punctuation it reserves, or control characters). Every execution ID is such a
 * name, so a path parameter that is not one cannot name an execution.
 */
export const EXECUTION_NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\p{Cc}]{1,80}$/u;
export const EXECUTION_NAME_RULE =
  '1-80 characters, none of them whitespace, a control character or one of < > { } [ ] ? * " # % \\ ^ | ~ ` $ & , ; : /';

export interface StateMachineArn {
  partition: string;
  region: string;
  account: string;
  name: string;
}

const STATE_MACHINE_ARN = /^arn:([a-z0-9-]+):states:([a-z0-9-]+):(\d{12}):stateMachine:([^:\s]+)$/;

/** Splits a state machine ARN; anything else (an alias or version ARN, a typo) fails naming the value. */
export function parseStateMachineArn(arn: string): StateMachineArn {
  const match = STATE_MACHINE_ARN.exec(arn);
  if (!match) {
    throw new Error(
      `'${arn}' is not a state machine ARN (arn:<partition>:states:<region>:<account>:stateMachine:<name>)`,
    );
  }
  const [, partition = '', region = '', account = '', name = ''] = match;
  return { partition, region, account, name };
}

/** `arn:<partition>:states:<region>:<account>:execution:<stateMachine>:<executionName>` */
export function executionArnOf(stateMachineArn: string, executionName: string): string {
  const { partition, region, account, name } = parseStateMachineArn(stateMachineArn);
  return `arn:${partition}:states:${region}:${account}:execution:${name}:${executionName}`;
}

/** What Step Functions refuses in an execution name besides whitespace and control characters. */
const FORBIDDEN_NAME_CHARACTERS = '<>{}[]?*"#%\\^|~`$&,;:/';

/**
 * Every reason Step Functions would refuse this execution name (empty: a valid name). As
 * StartExecution checks it: 1-80 characters; no whitespace; none of `< > { } [ ] ? * " # % \ ^ | ~
 * ` $ & , ; : /`; no control characters. Anything else is allowed (`drill(1)`, accented letters),
 * which is why the job tags are compared as `tagValue` writes them.
 */
export function executionNameProblems(name: string): string[] {
  const characters = [...name];
  const problems: string[] = [];
  if (characters.length === 0) problems.push('it is empty (expected 1-80 characters)');
  if (characters.length > MAX_EXECUTION_NAME_LENGTH)
    problems.push(`it is ${characters.length} characters long (expected at most ${MAX_EXECUTION_NAME_LENGTH})`);
  if (/\s/u.test(name)) problems.push('it contains whitespace');
  const forbidden = [...new Set(characters.filter((c) => FORBIDDEN_NAME_CHARACTERS.includes(c)))];
  if (forbidden.length > 0)
    problems.push(
      `it contains ${forbidden.map((c) => `'${c}'`).join(', ')} (not allowed in a Step Functions execution name)`,
    );
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for.
  if (/[\u0000-\u001f\u007f-\u009f]/u.test(name)) problems.push('it contains control characters');
  return problems;
}
