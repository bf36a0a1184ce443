import { skuMovementsQuerySchema, storeMovementsQuerySchema } from './movement-query';
import { parseInput } from './parse-input';

describe('movement paging parameters', () => {
  it('when none are given, then a page is 100 movements from the start', () => {
    expect(parseInput(skuMovementsQuerySchema, {})).toEqual({ limit: 100 });
    expect(parseInput(storeMovementsQuerySchema, {})).toEqual({ limit: 100 });
  });

  it.each(['0', '501', 'ten', '1.5', '-1', ''])('when limit is %j, then it is refused, never clamped', (limit) => {
    expect(() => parseInput(skuMovementsQuerySchema, { limit })).toThrow(/limit/);
  });

  it('when a parameter is repeated, then it is refused by name', () => {
    expect(() => parseInput(skuMovementsQuerySchema, { limit: ['1', '2'] })).toThrow(/limit must be given once/);
  });

  it('when since is RFC 3339 with an offset, then it is the same instant in UTC with milliseconds', () => {
    expect(parseInput(storeMovementsQuerySchema, { since: '2026-12-03T12:00:00+02:00' }).since).toBe('2026-12-03T10:00:00.000Z');
    expect(() => parseInput(storeMovementsQuerySchema, { since: 'yesterday' })).toThrow(/since must be an RFC 3339 time/);
  });
});
