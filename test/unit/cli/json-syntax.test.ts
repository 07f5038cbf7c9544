import fc from 'fast-check';
import { findJsonSyntaxProblem } from '../../../cli/json-syntax';

describe('findJsonSyntaxProblem', () => {
  it('names the line and column of a trailing comma', () => {
    const text = '{\n  "planId": "x",\n  "waves": [\n    { "name": "a", }\n  ]\n}\n';

    expect(findJsonSyntaxProblem(text)).toEqual({
      position: text.indexOf('}'),
      line: 4,
      column: 20,
      reason: `unexpected "}", expected a property name in double quotes`,
    });
  });

  it('names the end of the file for text cut short', () => {
    expect(findJsonSyntaxProblem('{ "planId": ')).toEqual({
      position: 12,
      line: 1,
      column: 13,
      reason: 'unexpected end of file, expected a value',
    });
  });

  it('finds a missing comma between two properties on separate lines', () => {
    expect(findJsonSyntaxProblem('{\n  "a": 1\n  "b": 2\n}')).toMatchObject({ line: 3, column: 3 });
  });

  it('finds a line break inside a string, an unquoted name and text after the value', () => {
    expect(findJsonSyntaxProblem('{"a": "x\ny"}')).toMatchObject({ line: 1, column: 9 });
    expect(findJsonSyntaxProblem('{ planId: 1 }')).toMatchObject({ line: 1, column: 3 });
    expect(findJsonSyntaxProblem('{}\n}')).toMatchObject({ line: 2, column: 1 });
  });

  it('finds nothing wrong in any JSON that JSON.stringify writes', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(findJsonSyntaxProblem(text)).toBeUndefined();
      }),
    );
  });

  it('finds a problem in every text JSON.parse refuses', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(findJsonSyntaxProblem(text) === undefined).toBe(valid);
      }),
    );
  });
});
