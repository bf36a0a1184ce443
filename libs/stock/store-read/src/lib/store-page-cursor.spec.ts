import { decodeStorePageCursor, encodeStorePageCursor } from './store-page-cursor';

describe('store page cursors', () => {
  it('when a cursor we issued comes back for its store, then it resumes after its SKU', () => {
    expect(decodeStorePageCursor(encodeStorePageCursor('s1', 'SKU-1100'), 's1')).toBe('SKU-1100');
  });

  it.each([
    ['forged', 'forged!'],
    ['of another shape', Buffer.from('{"a":1}').toString('base64url')],
    ['holding a SKU no store has', encodeStorePageCursor('s1', 'SKU {1}')],
    ['for another store', encodeStorePageCursor('s2', 'SKU-1100')],
  ])('when the cursor is %s, then it is a 400 naming cursor, never another store data', (_case, cursor) => {
    expect(() => decodeStorePageCursor(cursor, 's1')).toThrow(
      expect.objectContaining({ status: 400, details: [expect.objectContaining({ field: 'cursor' })] }),
    );
  });
});
