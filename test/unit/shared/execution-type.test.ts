import { InvalidExecutionType } from '../../../functions/shared/errors';
import { checkedExecutionType } from '../../../functions/shared/execution-type';

describe('checkedExecutionType', () => {
  it.each(['DRILL', 'RECOVERY'])('passes %s through', (type) => {
    expect(checkedExecutionType(type, 'wave 1')).toBe(type);
  });

  it.each([['drill'], ['Recovery'], ['TEST'], [''], [null], [undefined], [1], [{}]])(
    'fails closed on %j, naming what it got',
    (value) => {
      expect(() => checkedExecutionType(value, "wave 1 'Databases'")).toThrow(InvalidExecutionType);
      expect(() => checkedExecutionType(value, "wave 1 'Databases'")).toThrow(
        /^wave 1 'Databases': the execution type is .+, not DRILL or RECOVERY: refused before any DRS call$/,
      );
    },
  );
});
