import { parseInput } from './parse-input';
import { skuAcrossStoresQuerySchema, storeReadQuerySchema } from './store-read-query';

describe('store read queries', () => {
  it('when no parameter is given, then the whole store is read, as the original', () => {
    expect(parseInput(storeReadQuerySchema, {})).toEqual({ kind: 'whole' });
  });

  it('when limit or cursor is given, then a page is read (cursor alone: 100 a page)', () => {
    expect(parseInput(storeReadQuerySchema, { limit: '50' })).toEqual({ kind: 'page', limit: 50, cursor: undefined });
    expect(parseInput(storeReadQuerySchema, { cursor: 'abc' })).toEqual({ kind: 'page', limit: 100, cursor: 'abc' });
  });

  it('when since_version is given, then only the changes after it are read', () => {
    expect(parseInput(storeReadQuerySchema, { since_version: '1764771234567890' })).toEqual({ kind: 'delta', since: 1764771234567890 });
  });

  it.each([
    [{ limit: '0' }, 'limit'],
    [{ limit: '1001' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ limit: ['1', '2'] }, 'limit'],
    [{ cursor: '' }, 'cursor'],
    [{ since_version: '-1' }, 'since_version'],
    [{ since_version: 'abc' }, 'since_version'],
    [{ since_version: '1.5' }, 'since_version'],
    [{ since_version: '5', limit: '10' }, 'since_version'],
  ])('when the query is %j, then 400 names %s', (query, field) => {
    expect(() => parseInput(storeReadQuerySchema, query, 'query')).toThrow(
      expect.objectContaining({ status: 400, details: [expect.objectContaining({ field })] }),
    );
  });

  it('when stores are listed, then each is an id, at most 100, none twice', () => {
    expect(parseInput(skuAcrossStoresQuerySchema, { stores: 'a,b' })).toEqual({ stores: ['a', 'b'] });
    for (const stores of [undefined, '', 'a,a', 'a,{b}', Array.from({ length: 101 }, (_, i) => `s${i}`).join(',')]) {
      expect(() => parseInput(skuAcrossStoresQuerySchema, { stores }, 'query')).toThrow(
        expect.objectContaining({ status: 400, details: [expect.objectContaining({ field: expect.stringMatching(/^stores/) })] }),
      );
    }
  });
});
