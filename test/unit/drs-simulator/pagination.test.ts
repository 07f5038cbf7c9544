import { DrsApiError } from '../../../local/drs-simulator';
import { byIndex, paginate } from '../../../local/drs-simulator/pagination';

const letters = ['a', 'b', 'c', 'd', 'e'];
const byValue = (item: string): string => item;

describe('paginate', () => {
  it('returns every item and no token when they fit on one page', () => {
    // Act
    const page = paginate('Letters', letters, {}, byIndex);

    // Assess
    expect(page).toEqual({ items: letters });
  });

  it('returns 50 items per page by default', () => {
    // Prepare
    const many = Array.from({ length: 51 }, (_, index) => String(index));

    // Act
    const first = paginate('Many', many, {}, byIndex);

    // Assess
    expect(first.items).toHaveLength(50);
    expect(first.nextToken).toEqual(expect.any(String));
  });

  it('returns the next page from the token of the previous one', () => {
    // Prepare
    const first = paginate('Letters', letters, { maxResults: 2 }, byValue);

    // Act
    const second = paginate('Letters', letters, { maxResults: 2, nextToken: first.nextToken }, byValue);
    const third = paginate('Letters', letters, { maxResults: 2, nextToken: second.nextToken }, byValue);

    // Assess
    expect([first.items, second.items, third.items]).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(third.nextToken).toBeUndefined();
  });

  it('returns the page from the keyed item even when items were added in front of it', () => {
    // Prepare
    const first = paginate('Letters', letters, { maxResults: 2 }, byValue);

    // Act
    const second = paginate('Letters', ['z', ...letters], { maxResults: 2, nextToken: first.nextToken }, byValue);

    // Assess
    expect(second.items).toEqual(['c', 'd']);
  });

  it.each([
    ['another listing', paginate('Other', letters, { maxResults: 2 }, byValue).nextToken],
    ['a made-up token', 'not-a-token'],
    ['a token whose item is gone', paginate('Letters', [...letters, 'f'], { maxResults: 5 }, byValue).nextToken],
  ])('fails with a ValidationException for a token of %s', (_case, nextToken) => {
    // Act
    const act = () => paginate('Letters', letters, { maxResults: 2, nextToken }, byValue);

    // Assess
    expect(act).toThrow(DrsApiError);
    expect(act).toThrow(
      expect.objectContaining({
        errorType: 'ValidationException',
        fields: expect.objectContaining({ reason: 'fieldValidationFailed' }),
      }),
    );
  });
});
