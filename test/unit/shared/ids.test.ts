import { JOB_ID, PLAN_ID, SOURCE_SERVER_ID } from '../../../functions/shared/ids';

describe('SOURCE_SERVER_ID', () => {
  it("matches 's-' and 17 letters or digits", () => {
    expect(SOURCE_SERVER_ID.test('s-0db00000000000001')).toBe(true);
    expect(SOURCE_SERVER_ID.test('s-ABCdef01234567890')).toBe(true);
  });

  it('fails when the prefix, the length or a character is wrong', () => {
    for (const id of [
      's-1',
      'i-0db00000000000001',
      's-0db000000000000011',
      's-0db0000000000000_',
      ' s-0db00000000000001',
    ]) {
      expect({ id, matches: SOURCE_SERVER_ID.test(id) }).toEqual({ id, matches: false });
    }
  });
});

describe('JOB_ID', () => {
  it("matches 'drsjob-' and 17 letters or digits, and nothing else", () => {
    expect(JOB_ID.test('drsjob-00000000000000001')).toBe(true);
    expect(JOB_ID.test('drsjob-0000000000000001')).toBe(false);
    expect(JOB_ID.test('job-00000000000000001')).toBe(false);
  });
});

describe('PLAN_ID', () => {
  it("matches 1-64 letters, digits, '.', '_' or '-' starting with a letter or digit", () => {
    for (const id of ['a', 'three-tier', 'erp.prod_2', 'X'.repeat(64)]) expect(PLAN_ID.test(id)).toBe(true);
  });

  it('fails when the ID is empty, too long, starts with punctuation or has other characters', () => {
    for (const id of ['', 'X'.repeat(65), '-erp', '.erp', 'erp prod', 'erp/prod', 'érp']) {
      expect({ id, matches: PLAN_ID.test(id) }).toEqual({ id, matches: false });
    }
  });
});
