import { writeUnitsOf } from './write-units';

describe('write units of an item', () => {
  it('when an item is small, then a put costs one unit', () => {
    expect(writeUnitsOf({ store_id: { S: 'store-1' }, sku: { S: 'SKU-1' }, quantity: { N: '12' } })).toBe(1);
  });

  it('when an item passes a kilobyte, then each started kilobyte is a unit', () => {
    expect(writeUnitsOf({ pk: { S: 'p' }, blob: { S: 'x'.repeat(1_030) } })).toBe(2);
    expect(writeUnitsOf({ pk: { S: 'p' }, blob: { S: 'é'.repeat(1_600) } })).toBe(4);
  });

  it('when an item holds lists and maps, then their contents count', () => {
    const events = { L: Array.from({ length: 300 }, () => ({ S: 'stock.low' })) };
    expect(writeUnitsOf({ pk: { S: 'p' }, events, nested: { M: { a: { S: 'y'.repeat(500) } } } })).toBe(4);
  });
});
