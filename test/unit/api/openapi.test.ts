import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { API_ROUTES } from '../../../functions/api/routes';
import { planSchema } from '../../../functions/shared/plan-rules';
import { WAVE_STATUSES } from '../../../functions/shared/types';

interface Operation {
  operationId?: string;
  requestBody?: unknown;
  responses?: Record<string, unknown>;
  'x-amazon-apigateway-auth'?: { type?: string };
  security?: unknown;
}
const doc = JSON.parse(readFileSync(join(__dirname, '../../../docs/openapi.json'), 'utf8')) as {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
};
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => METHODS.includes(method))
    .map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
);
const key = (route: { method: string; path: string }) => `${route.method} ${route.path}`;

describe('docs/openapi.json', () => {
  it('is an OpenAPI 3.0 document', () => {
    expect(doc.openapi).toMatch(/^3\.0\.\d+$/);
  });

  it('documents exactly the routes of API_ROUTES, each with its operationId', () => {
    expect(documented.map((d) => `${key(d)} ${d.operation.operationId}`).sort()).toEqual(
      API_ROUTES.map((route) => `${key(route)} ${route.operationId}`).sort(),
    );
  });

  it('requires IAM authorization on every operation', () => {
    for (const { method, path, operation } of documented) {
      expect({ route: `${method} ${path}`, auth: operation['x-amazon-apigateway-auth'] }).toEqual({
        route: `${method} ${path}`,
        auth: { type: 'AWS_IAM' },
      });
    }
  });

  it('gives a request body to exactly the routes that take one', () => {
    const withBody = documented.filter((d) => d.operation.requestBody !== undefined).map(key);
    expect(withBody.sort()).toEqual(
      API_ROUTES.filter((route) => route.bodySchema)
        .map(key)
        .sort(),
    );
  });

  it('answers every operation with a success, a 500 in the error shape, and schemas for JSON bodies', () => {
    for (const { operation } of documented) {
      const codes = Object.keys(operation.responses ?? {});
      expect(codes.some((code) => code.startsWith('2'))).toBe(true);
      for (const code of codes.filter((c) => c.startsWith('2') && c !== '204')) {
        expect(operation.responses?.[code]).toMatchObject({
          content: { 'application/json': { schema: { $ref: expect.stringMatching(/^#\/components\/schemas\//) } } },
        });
      }
      expect(operation.responses?.['500']).toEqual({ $ref: '#/components/responses/InternalError' });
    }
    expect(doc.components.responses?.InternalError).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
    });
  });

  it('resolves every $ref', () => {
    const refs: string[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [field, value] of Object.entries(node)) {
          if (field === '$ref' && typeof value === 'string') refs.push(value);
          else walk(value);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(0);
    const unresolved = refs.filter((ref) => {
      const [, section, name] = /^#\/components\/(\w+)\/(\w+)$/.exec(ref) ?? [];
      return !section || !name || doc.components[section]?.[name] === undefined;
    });
    expect(unresolved).toEqual([]);
  });

  it('documents exactly the wave statuses of the result', () => {
    expect(doc.components.schemas?.WaveStatus).toMatchObject({ enum: [...WAVE_STATUSES] });
  });

  it("documents each wave's dependsOn, startedAt and endedAt, dependsOn always present", () => {
    const wave = doc.components.schemas?.WaveResult as { required: string[]; properties: Record<string, unknown> };
    expect(wave.required).toContain('dependsOn');
    expect(wave.properties).toMatchObject({
      dependsOn: { type: 'array', items: { type: 'string' } },
      startedAt: { type: 'string', format: 'date-time' },
      endedAt: { type: 'string', format: 'date-time' },
    });
  });

  it("documents the plan body with the plan schema's limits", () => {
    // What a limit is, not how it is described: the keywords that accept or refuse a value. The
    // names' pattern uses Unicode classes (\p{L}) that OpenAPI's regular expressions lack, so the doc
    // leaves it out, and so does this comparison.
    const KEYWORDS = ['type', 'required', 'additionalProperties', 'minLength', 'maxLength', 'minItems', 'maxItems'];
    const limitsOf = (schema: unknown): unknown => {
      const node = schema as Record<string, unknown>;
      if (typeof node.$ref === 'string')
        return limitsOf(doc.components.schemas?.[node.$ref.split('/').pop() as string]);
      const out: Record<string, unknown> = {};
      for (const keyword of [...KEYWORDS, 'minimum', 'maximum', 'default']) {
        if (node[keyword] !== undefined) out[keyword] = node[keyword];
      }
      if (typeof node.pattern === 'string' && !node.pattern.includes('\\p{')) out.pattern = node.pattern;
      if (node.items) out.items = limitsOf(node.items);
      if (node.properties) {
        out.properties = Object.fromEntries(
          Object.entries(node.properties as Record<string, unknown>).map(([name, property]) => [
            name,
            limitsOf(property),
          ]),
        );
      }
      return out;
    };
    const generated = z.toJSONSchema(planSchema, { target: 'openapi-3.0', io: 'input' });
    expect(limitsOf(doc.components.schemas?.PlanInput)).toEqual(limitsOf(generated));
  });
});
