import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A validator of DRS requests, responses and errors against the DRS API model, not against our
 * own code: member names, nesting, types and required members from the aws-sdk v2 model
 * (`drs-2020-02-26.min.json`), type names and enum values from the same package's declarations
 * and the error shapes from @aws-sdk/client-drs (`drs-2020-02-26.types.json`), and the lengths,
 * patterns and ranges the DRS API Reference gives (`drs-2020-02-26.constraints.json`). See
 * test/fixtures/drs-model/README.md for the sources.
 */
const DIR = join(__dirname, '..', 'fixtures', 'drs-model');
const read = <T>(file: string): T => JSON.parse(readFileSync(join(DIR, file), 'utf8')) as T;

interface Shape {
  type?: string;
  shape?: string;
  members?: Record<string, Shape>;
  member?: Shape;
  key?: Shape;
  value?: Shape;
  required?: string[];
  union?: boolean;
}
interface Model {
  operations: Record<string, { http: { requestUri: string; responseCode?: number }; input?: Shape; output?: Shape }>;
  shapes: Record<string, Shape>;
}
type Alias = { list: string } | { map: string } | { enum: string[] } | { primitive: string };
interface Types {
  operations: Record<string, { input: string; output: string }>;
  interfaces: Record<string, { members: Record<string, string>; required: string[] }>;
  aliases: Record<string, Alias>;
  errors: Record<string, { httpStatusCode: number; members: Record<string, string> }>;
  errorTypes: Record<string, { members: Record<string, string>; required: string[] } | { enum: string[] }>;
}
interface Constraint {
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  min?: number;
  max?: number;
  minItems?: number;
  maxItems?: number;
  keyMinLength?: number;
  keyMaxLength?: number;
}

export const MODEL = read<Model>('drs-2020-02-26.min.json');
export const TYPES = read<Types>('drs-2020-02-26.types.json');
export const CONSTRAINTS = read<{ types: Record<string, Constraint> }>('drs-2020-02-26.constraints.json').types;

/** Error members the model binds to an HTTP header (`Retry-After`), never to the body. */
const HEADER_MEMBERS = new Set(['retryAfterSeconds']);

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The problems of a request body of an operation; empty when it fits the model. */
export function requestProblems(operation: string, body: unknown): string[] {
  const op = MODEL.operations[operation];
  const names = TYPES.operations[operation];
  if (!op || !names) return [`${operation}: not an operation of the DRS model`];
  return check(body ?? {}, op.input ?? { type: 'structure', members: {} }, names.input, operation);
}

/** The problems of a successful response of an operation (status code included). */
export function responseProblems(operation: string, statusCode: number, body: unknown): string[] {
  const op = MODEL.operations[operation];
  const names = TYPES.operations[operation];
  if (!op || !names) return [`${operation}: not an operation of the DRS model`];
  const problems = check(body, op.output ?? { type: 'structure', members: {} }, names.output, `${operation} response`);
  const expected = op.http.responseCode ?? 200;
  if (statusCode !== expected) problems.push(`${operation} response: HTTP ${statusCode}, the model says ${expected}`);
  return problems;
}

/** The problems of an error response: a model error, its status code, and a body of its members only. */
export function errorProblems(errorType: string, statusCode: number, body: unknown): string[] {
  const error = TYPES.errors[errorType];
  if (!error) return [`${errorType}: not an error of the DRS model`];
  const where = `${errorType} body`;
  const problems: string[] = [];
  if (statusCode !== error.httpStatusCode) {
    problems.push(`${errorType}: HTTP ${statusCode}, the model says ${error.httpStatusCode}`);
  }
  if (!isObject(body)) return [...problems, `${where}: not an object`];
  for (const [name, value] of Object.entries(body)) {
    const typeName = error.members[name];
    if (typeName === undefined) problems.push(`${where}.${name}: not a member of ${errorType}`);
    else if (HEADER_MEMBERS.has(name))
      problems.push(`${where}.${name}: the model sends it as a header, not in the body`);
    else problems.push(...checkErrorMember(value, typeName, `${where}.${name}`));
  }
  return problems;
}

function checkErrorMember(value: unknown, typeName: string, path: string): string[] {
  if (typeName === 'string') return typeof value === 'string' ? [] : [`${path}: ${describe(value)}, expected a string`];
  if (typeName.endsWith('[]')) {
    if (!Array.isArray(value)) return [`${path}: ${describe(value)}, expected a list`];
    return value.flatMap((item, i) => checkErrorMember(item, typeName.slice(0, -2), `${path}[${i}]`));
  }
  const type = TYPES.errorTypes[typeName];
  if (type && 'enum' in type) {
    return typeof value === 'string' && type.enum.includes(value)
      ? []
      : [`${path}: ${describe(value)} is not one of ${type.enum.join(', ')}`];
  }
  if (type && 'members' in type) {
    if (!isObject(value)) return [`${path}: ${describe(value)}, expected an object`];
    return Object.entries(value).flatMap(([name, member]) => {
      const memberType = type.members[name];
      return memberType === undefined
        ? [`${path}.${name}: not a member of ${typeName}`]
        : checkErrorMember(member, memberType, `${path}.${name}`);
    });
  }
  return [`${path}: type ${typeName} is not in the fixture`];
}

function resolve(shape: Shape): Shape {
  if (shape.shape === undefined) return shape;
  const target = MODEL.shapes[shape.shape];
  if (!target) throw new Error(`model shape ${shape.shape} is missing from the fixture`);
  return resolve(target);
}

function describe(value: unknown): string {
  const shown = JSON.stringify(value);
  return shown === undefined ? String(value) : shown.length > 60 ? `${shown.slice(0, 57)}...` : shown;
}

/** Checks a value against a model shape; `typeName` is the shape's name in the declarations (for enums and limits). */
function check(value: unknown, rawShape: Shape, typeName: string | undefined, path: string): string[] {
  const shape = resolve(rawShape);
  const type = shape.type ?? 'string';
  const limits = typeName === undefined ? {} : (CONSTRAINTS[typeName] ?? {});
  if (value === null) return [`${path}: null (DRS omits a member it has no value for)`];
  switch (type) {
    case 'structure': {
      if (!isObject(value)) return [`${path}: ${describe(value)}, expected an object`];
      const members = shape.members ?? {};
      const declared = typeName === undefined ? undefined : TYPES.interfaces[typeName];
      const problems: string[] = [];
      if (declared === undefined) problems.push(`${path}: no declared type ${typeName} (fixture mismatch)`);
      const required = new Set([...(shape.required ?? []), ...(declared?.required ?? [])]);
      for (const name of required) {
        if (value[name] === undefined) problems.push(`${path}.${name}: required by the model, missing`);
      }
      const present = Object.keys(value).filter((name) => value[name] !== undefined);
      if (shape.union && present.length > 1) problems.push(`${path}: a union with ${present.length} members set`);
      for (const name of present) {
        const member = members[name];
        if (member === undefined) {
          problems.push(`${path}.${name}: not a member of ${typeName ?? 'this structure'}`);
          continue;
        }
        problems.push(...check(value[name], member, declared?.members[name], `${path}.${name}`));
      }
      return problems;
    }
    case 'list': {
      if (!Array.isArray(value)) return [`${path}: ${describe(value)}, expected a list`];
      const problems = sizeProblems(value.length, limits.minItems, limits.maxItems, path, 'items');
      const elementType = listElementType(typeName);
      value.forEach((item, i) => {
        problems.push(...check(item, shape.member ?? {}, elementType, `${path}[${i}]`));
      });
      return problems;
    }
    case 'map': {
      if (!isObject(value)) return [`${path}: ${describe(value)}, expected a map (object)`];
      const alias = typeName === undefined ? undefined : TYPES.aliases[typeName];
      const valueType = alias && 'map' in alias ? alias.map : undefined;
      return Object.entries(value).flatMap(([key, item]) => [
        ...sizeProblems(
          key.length,
          limits.keyMinLength,
          limits.keyMaxLength,
          `${path} key ${describe(key)}`,
          'characters',
        ),
        ...check(item, shape.value ?? {}, valueType, `${path}.${key}`),
      ]);
    }
    case 'integer':
    case 'long': {
      if (typeof value !== 'number' || !Number.isInteger(value))
        return [`${path}: ${describe(value)}, expected an ${type}`];
      return sizeProblems(value, limits.min, limits.max, path, '');
    }
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: ${describe(value)}, expected a boolean`];
    case 'timestamp':
      return typeof value === 'number' || typeof value === 'string'
        ? []
        : [`${path}: ${describe(value)}, expected a timestamp`];
    case 'string': {
      if (typeof value !== 'string') return [`${path}: ${describe(value)}, expected a string`];
      const alias = typeName === undefined ? undefined : TYPES.aliases[typeName];
      const problems: string[] = [];
      if (alias && 'enum' in alias && !alias.enum.includes(value)) {
        problems.push(`${path}: ${describe(value)} is not one of ${typeName} (${alias.enum.join(', ')})`);
      }
      problems.push(...sizeProblems(value.length, limits.minLength, limits.maxLength, path, 'characters'));
      if (limits.pattern !== undefined && !new RegExp(limits.pattern).test(value)) {
        problems.push(`${path}: ${describe(value)} does not match ${typeName}'s pattern ${limits.pattern}`);
      }
      return problems;
    }
    default:
      return [`${path}: model type ${type} is not supported by this validator`];
  }
}

function listElementType(typeName: string | undefined): string | undefined {
  if (typeName === undefined) return undefined;
  if (typeName.endsWith('[]')) return typeName.slice(0, -2);
  const alias = TYPES.aliases[typeName];
  return alias && 'list' in alias ? alias.list : undefined;
}

function sizeProblems(size: number, min: number | undefined, max: number | undefined, path: string, unit: string) {
  const what = unit === '' ? `${size}` : `${size} ${unit}`;
  if (min !== undefined && size < min) return [`${path}: ${what}, the model's minimum is ${min}`];
  if (max !== undefined && size > max) return [`${path}: ${what}, the model's maximum is ${max}`];
  return [];
}
