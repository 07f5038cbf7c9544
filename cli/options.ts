import { LogLevel } from '@aws-lambda-powertools/logger';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { executionNameProblems } from '../functions/shared/execution-naming';
import { EXECUTION_TYPES } from '../functions/shared/types';

/** Options more than one command takes, declared once here so their flags and help cannot drift apart. */

export const DEFAULT_STACK_NAME = 'DrsOrchestrator';

/** Where the deployed orchestrator is (`run --aws`, `status`). */
export interface AwsTargetOptions {
  stackName: string;
  stateMachineArn?: string;
  tableName?: string;
  region?: string;
}

export const regionOption = () =>
  new Option('--region <region>', 'the AWS region (default: from the environment or profile)');

/** The deployed stack's options: its name (or the state machine and table themselves) and the region. */
export function withAwsTargetOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--stack-name <name>', 'the deployed stack whose outputs name the state machine and tables').default(
        DEFAULT_STACK_NAME,
      ),
    )
    .addOption(new Option('--state-machine-arn <arn>', 'the deployed state machine (instead of the stack outputs)'))
    .addOption(new Option('--table-name <name>', 'the executions table (instead of the stack outputs)'))
    .addOption(regionOption());
}

export const executionTypeOption = () =>
  choiceOption('--type <type>', 'the execution type', EXECUTION_TYPES).default('DRILL', 'drill');

/** A Powertools log level as the logger spells it (`SILENT`, `INFO`, ...). */
export type LogLevelName = (typeof LogLevel)[keyof typeof LogLevel];

/** The task code's Powertools log level, for local runs. */
export const logLevelOption = () =>
  choiceOption(
    '--log-level <level>',
    "local runs: the task code's Powertools log level (JSON lines on stderr)",
    Object.values(LogLevel),
  ).default(LogLevel.SILENT, 'silent');

/** The execution's name (the console's Name field), checked as Step Functions checks it. */
export const executionNameOption = () =>
  new Option(
    '--name <executionName>',
    "the execution's name, as the console's Name field: 1-80 characters, no whitespace, none of < > { } [ ] ? * \" # % \\ ^ | ~ ` $ & , ; : / (default: <planId>-<type>-<UTC time>-<6 hex>); with --aws, the start request's Idempotency-Key instead (the API names the execution <planId>-<24 hex>, and the same --name starts it once)",
  ).argParser((name: string) => {
    const problems = executionNameProblems(name);
    if (problems.length > 0) throw new InvalidArgumentError(`${problems.join('; ').replace(/^it/, 'It')}.`);
    return name;
  });

export const pollSecondsOption = () =>
  new Option('--poll-seconds <seconds>', 'with --aws: how often to read progress')
    .argParser(positiveSeconds)
    .default(15);

/**
 * An enumeration: commander's `choices` lists the values in --help; the parser set after it accepts
 * any case (`DRILL` as well as `drill`), hands on the value as the code spells it, and says what a
 * wrong value should be.
 */
function choiceOption<T extends string>(flags: string, description: string, values: readonly T[]): Option {
  const choices = values.map((value) => value.toLowerCase());
  return new Option(flags, description).choices(choices).argParser((given: string): T => {
    const value = values.find((candidate) => candidate.toLowerCase() === given.toLowerCase());
    if (value === undefined) throw new InvalidArgumentError(`must be ${oneOf(choices)}`);
    return value;
  });
}

/** `a, b or c` */
function oneOf(words: string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function positiveSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 1)
    throw new InvalidArgumentError('must be a number of seconds, at least 1');
  return seconds;
}
