import { decodeSkuCursor, decodeStoreCursor, encodeSkuCursor, encodeStoreCursor } from './movement-cursor';

describe('movement cursors', () => {
  const movement = { sortKey: '2026-12-03T10:00:00.123Z#SKU-1#0000000000000042', shown: 1 };
  const chunk = { sortKey: '2026-12-03T10:00:00.123Z#~storm#storm-17-ab#07', shown: 12 };

  it('when a cursor we issued comes back for its listing, then it names the position it ended at', () => {
    expect(decodeStoreCursor(encodeStoreCursor('store:s1', movement), 'store:s1')).toEqual(movement);
    expect(decodeStoreCursor(encodeStoreCursor('store:s1', chunk), 'store:s1')).toEqual(chunk);
    expect(decodeSkuCursor(encodeSkuCursor('sku:s1/A', 42), 'sku:s1/A')).toBe(42);
  });

  it('when a cursor comes back for another listing, then it is refused: it can never page another store', () => {
    expect(() => decodeStoreCursor(encodeStoreCursor('store:s1', movement), 'store:s2')).toThrow(/issued for another listing/);
    expect(() => decodeSkuCursor(encodeSkuCursor('sku:s1/A', 42), 'sku:s1/B')).toThrow(/issued for another listing/);
  });

  it.each([
    ['not base64 JSON', 'nonsense!'],
    ['JSON of another shape', Buffer.from('{"a":1}').toString('base64url')],
    ['a sort key of another form', encodeStoreCursor('store:s1', { sortKey: 'store#s2', shown: 0 })],
    ['a negative count', encodeStoreCursor('store:s1', { ...movement, shown: -1 })],
    ['a number', Buffer.from('7').toString('base64url')],
  ])('when a store cursor is %s, then it is a 400 naming cursor', (_case, cursor) => {
    expect(() => decodeStoreCursor(cursor, 'store:s1')).toThrow(
      expect.objectContaining({ status: 400, details: [{ field: 'cursor', problem: expect.any(String) }] }),
    );
  });

  it.each([
    ['a store cursor', encodeStoreCursor('sku:s1/A', movement)],
    ['version 0', encodeSkuCursor('sku:s1/A', 0)],
    ['a fractional version', encodeSkuCursor('sku:s1/A', 1.5)],
  ])('when a SKU cursor is %s, then it is a 400 naming cursor', (_case, cursor) => {
    expect(() => decodeSkuCursor(cursor, 'sku:s1/A')).toThrow(expect.objectContaining({ status: 400 }));
  });
});
