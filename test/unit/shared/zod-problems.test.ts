import { z } from 'zod';
import { pathOf, placedIssues, problemsOf, shown } from '../../../functions/shared/zod-problems';

describe('pathOf', () => {
  it('writes indices in brackets and keys joined by dots, as JSON reads', () => {
    expect(pathOf(['waves', 0, 'sourceServerIDs', 2])).toBe('waves[0].sourceServerIDs[2]');
    expect(pathOf([1, 'name'])).toBe('[1].name');
  });

  it('returns an empty string for the root', () => {
    expect(pathOf([])).toBe('');
  });
});

describe('shown', () => {
  it('returns the value as JSON', () => {
    expect(shown('s-1')).toBe('"s-1"');
    expect(shown({ a: 1 })).toBe('{"a":1}');
    expect(shown(undefined)).toBe('undefined');
  });

  it('cuts a long value to the given length', () => {
    expect(shown('x'.repeat(100))).toHaveLength(60);
    expect(shown('x'.repeat(100), 80)).toBe(`"${'x'.repeat(76)}...`);
  });

  it('returns a value JSON cannot write as text instead of throwing', () => {
    expect(shown(10n)).toBe('10');
  });
});

describe('problemsOf', () => {
  const schema = z.strictObject({ waves: z.array(z.strictObject({ name: z.string({ error: 'must be a string' }) })) });

  it('returns one line per issue, each starting with its path', () => {
    const parsed = schema.safeParse({ waves: [{ name: 'a' }, { name: 1 }, { name: 2 }] });
    expect(parsed.success).toBe(false);
    expect(problemsOf(parsed.error as z.ZodError)).toEqual([
      'waves[1].name: must be a string',
      'waves[2].name: must be a string',
    ]);
  });

  it('returns the message alone for a problem with the whole value', () => {
    const parsed = z.string({ error: 'must be a string' }).safeParse(1);
    expect(problemsOf(parsed.error as z.ZodError)).toEqual(['must be a string']);
  });
});

describe('placedIssues', () => {
  it('returns each issue with its path written out', () => {
    const parsed = z.strictObject({ ids: z.array(z.string({ error: 'not a string' })) }).safeParse({ ids: ['a', 1] });
    expect(placedIssues(parsed.error as z.ZodError)).toEqual([{ path: 'ids[1]', message: 'not a string' }]);
  });
});
