import { z } from 'zod';

/**
 * API Gateway request models (JSON Schema draft-04), generated from the zod schema the handler
 * parses the body with, so a plan limit is written once.
 *
 * API Gateway answers a body its model refuses with a bare "Invalid request body", while the
 * handler names every problem and how to fix it. So the model keeps only the body's shape (an
 * object, its required fields, each field's type and allowed values) and the upper bounds on
 * each field's length or count: what API Gateway can refuse without hiding a better answer.
 * Lower bounds, ranges, patterns (the names' `\p{…}` classes are not draft-04 regular
 * expressions either), unknown fields and what is inside list items are left to the handler.
 */
export function requestModelOf(schema: z.ZodType): Record<string, unknown> {
  const generated = z.toJSONSchema(schema, { target: 'draft-04', io: 'input' }) as JsonSchema;
  return pick(generated, ['$schema', 'title', 'type', 'required'], {
    properties: Object.fromEntries(Object.entries(generated.properties ?? {}).map(([name, f]) => [name, field(f)])),
  });
}

interface JsonSchema {
  [keyword: string]: unknown;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
}

function field(schema: JsonSchema): JsonSchema {
  return pick(
    schema,
    ['type', 'enum', 'maxLength', 'maxItems'],
    schema.items ? { items: pick(schema.items, ['type']) } : {},
  );
}

function pick(schema: JsonSchema, keywords: readonly string[], extra: JsonSchema = {}): JsonSchema {
  const out: JsonSchema = {};
  for (const keyword of keywords) if (schema[keyword] !== undefined) out[keyword] = schema[keyword];
  return { ...out, ...extra };
}
