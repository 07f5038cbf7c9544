import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The IAM prefix of each AWS SDK client whose calls the functions' permissions must cover. */
const IAM_PREFIX: Record<string, string> = { drs: 'drs', sfn: 'states', sns: 'sns', s3: 's3' };

/**
 * The source files a function's handler reaches through relative imports within `within` (the
 * functions tree): the code it bundles. Type-only imports are followed too, which can only make
 * the scan see more calls, never fewer.
 */
export function reachableSources(entry: string, within: readonly string[]): string[] {
  const roots = within.map((dir) => `${resolve(dir)}/`);
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || !roots.some((root) => file.startsWith(root))) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
      const base = resolve(dirname(file), match[1] as string);
      const target = [`${base}.ts`, join(base, 'index.ts'), base].find((candidate) => existsSync(candidate));
      if (target?.endsWith('.ts')) visit(target);
    }
  };
  visit(resolve(entry));
  return [...seen].sort();
}

/**
 * The IAM actions of the AWS calls the files make with the DRS, Step Functions, SNS and S3 clients: each
 * `XxxCommand` or `paginateXxx` imported from `@aws-sdk/client-<service>` is the action `<prefix>:Xxx`.
 */
export function awsActionsOf(files: readonly string[]): string[] {
  const actions = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/client-([a-z0-9-]+)'/g)) {
      const prefix = IAM_PREFIX[match[2] as string];
      if (!prefix) continue;
      for (const raw of (match[1] as string).split(',')) {
        const name = raw
          .trim()
          .replace(/^type\s+/, '')
          .split(/\s+as\s+/)[0] as string;
        const operation = /^(\w+)Command$/.exec(name)?.[1] ?? /^paginate(\w+)$/.exec(name)?.[1];
        if (operation && !raw.trim().startsWith('type ')) actions.add(`${prefix}:${operation}`);
      }
    }
  }
  return [...actions].sort();
}

/** The DynamoDB action of each lib-dynamodb document command (their names drop the `Item` the actions keep). */
const DOCUMENT_COMMAND_ACTION: Record<string, string> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  TransactGet: 'TransactGetItems',
  TransactWrite: 'TransactWriteItems',
  Query: 'Query',
  Scan: 'Scan',
};

/**
 * The DynamoDB actions of the document-client calls the files make: each `XxxCommand` or
 * `paginateXxx` imported from `@aws-sdk/lib-dynamodb`.
 */
export function dynamoDbActionsOf(files: readonly string[]): string[] {
  const actions = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/lib-dynamodb'/g)) {
      for (const raw of (match[1] as string).split(',')) {
        if (raw.trim().startsWith('type ')) continue;
        const name = raw.trim().split(/\s+as\s+/)[0] as string;
        const operation = /^(\w+)Command$/.exec(name)?.[1] ?? /^paginate(\w+)$/.exec(name)?.[1];
        const action = operation ? DOCUMENT_COMMAND_ACTION[operation] : undefined;
        if (action) actions.add(`dynamodb:${action}`);
      }
    }
  }
  return [...actions].sort();
}
