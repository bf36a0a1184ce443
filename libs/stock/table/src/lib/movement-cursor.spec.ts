import { decodeMovementCursor, encodeMovementCursor } from './movement-cursor';

describe('movement cursors', () => {
  const sortKey = '2026-12-03T10:00:00.123Z#SKU-1#0000000000000042';

  it('when a cursor we issued comes back for its listing, then it names the position it ended at', () => {
    expect(decodeMovementCursor(encodeMovementCursor('store:s1', sortKey), 'store:s1')).toEqual({ sortKey, sku: 'SKU-1', version: 42 });
  });

  it('when a cursor comes back for another listing, then it is refused: it can never page another store', () => {
    expect(() => decodeMovementCursor(encodeMovementCursor('store:s1', sortKey), 'store:s2')).toThrow(/issued for another listing/);
  });

  it.each([
    ['not base64 JSON', 'nonsense!'],
    ['JSON of another shape', Buffer.from('{"a":1}').toString('base64url')],
    ['a sort key of another form', encodeMovementCursor('store:s1', 'store#s2')],
    ['a number', Buffer.from('7').toString('base64url')],
  ])('when the cursor is %s, then it is a 400 naming cursor', (_case, cursor) => {
    expect(() => decodeMovementCursor(cursor, 'store:s1')).toThrow(
      expect.objectContaining({ status: 400, details: [{ field: 'cursor', problem: expect.any(String) }] }),
    );
  });
});
