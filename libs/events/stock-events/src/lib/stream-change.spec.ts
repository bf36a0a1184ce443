import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import type { StockMovement } from '@inventory/domain/model';
import { derivedMovement, streamChange } from './stream-change';

const movement = (version: number, extra: Record<string, unknown> = {}): StockMovement & Record<string, unknown> => ({
  movement_id: `m-${version}`,
  store_id: 'store-1',
  sku: 'SKU-1',
  delta: -2,
  quantity_before: 7,
  quantity_after: 5,
  version,
  reason: 'sale',
  source: 'api',
  reference: null,
  actor: 'till-1',
  on_behalf_of: null,
  idempotency_key: null,
  request_id: null,
  at: '2026-12-03T10:00:00.000Z',
  ...extra,
});

function record(eventName: 'INSERT' | 'MODIFY' | 'REMOVE', newItem?: Record<string, string>, oldItem?: Record<string, string>): _Record {
  const image = (item?: Record<string, string>) =>
    item &&
    Object.fromEntries(
      Object.entries(item).map(([name, value]) => [name, ['quantity', 'version'].includes(name) ? { N: value } : { S: value }]),
    );
  return { eventName, dynamodb: { NewImage: image(newItem), OldImage: image(oldItem) } };
}

const keys = { store_id: 'store-1', sku: 'SKU-1' };

describe('the stock change a stream record carries', () => {
  it("when an API write changed the item, then its movement is the record named by the item's movement_at", () => {
    const change = streamChange(
      record(
        'MODIFY',
        { ...keys, quantity: '5', version: '8', movement_at: '2026-12-03T10:00:00.000Z' },
        { ...keys, quantity: '7', version: '7' },
      ),
    );
    expect(change).toEqual({
      storeId: 'store-1',
      sku: 'SKU-1',
      version: 8,
      quantity: 5,
      before: { quantity: 7, version: 7 },
      movement: { kind: 'recorded', at: '2026-12-03T10:00:00.000Z' },
    });
  });

  it('when a batch row changed the item, then its movement rides on the item, to be recorded, with whether it set or adjusted', () => {
    const batch = JSON.stringify(movement(8, { change: 'adjust' }));
    const change = streamChange(
      record('MODIFY', { ...keys, quantity: '5', version: '8', batch_movement: batch }, { ...keys, quantity: '7', version: '7' }),
    );
    expect(change?.movement).toEqual({ kind: 'inline', movement: movement(8), recorded: false, change: 'adjust' });
  });

  it('when a storm wrote the item, then its movement is the one the item keeps, already recorded in its chunk', () => {
    const storm = JSON.stringify(movement(1_008, { source: 'storm', reason: 'restock_sync' }));
    const change = streamChange(record('INSERT', { ...keys, quantity: '5', version: '1008', storm_movement: storm }));
    expect(change?.movement).toMatchObject({ kind: 'inline', recorded: true, movement: { version: 1_008, source: 'storm' } });
    expect(change?.before).toEqual({ quantity: 0, version: 0 });
  });

  it('when a storm wrote over a sale made after its read, then its movement starts from what it replaced (the old image), not from what it read', () => {
    const storm = JSON.stringify(
      movement(1_007, { source: 'storm', reason: 'restock_sync', quantity_before: 7, quantity_after: 5, delta: -2 }),
    );
    const change = streamChange(
      record('MODIFY', { ...keys, quantity: '5', version: '1007', storm_movement: storm }, { ...keys, quantity: '6', version: '8' }),
    );
    expect(change?.movement).toMatchObject({
      kind: 'inline',
      movement: { quantity_before: 6, quantity_after: 5, delta: -1, version: 1_007 },
    });
  });

  it("when the item's inline movement is of an older version (a later write did not replace it), then it is not taken for this change", () => {
    const stale = JSON.stringify(movement(3, { change: 'set' }));
    const change = streamChange(
      record('MODIFY', { ...keys, quantity: '5', version: '8', batch_movement: stale }, { ...keys, quantity: '7', version: '7' }),
    );
    expect(change?.movement).toEqual({ kind: 'unrecorded' });
  });

  it('when a record removes an item or leaves its version, then it carries no stock change', () => {
    expect(streamChange(record('REMOVE', undefined, { ...keys, quantity: '7', version: '7' }))).toBeUndefined();
    expect(
      streamChange(record('MODIFY', { ...keys, quantity: '7', version: '7' }, { ...keys, quantity: '7', version: '7' })),
    ).toBeUndefined();
  });

  it('when a change has no movement anywhere, then the one derived for it has an id derived from the change: deriving it again gives the same', () => {
    const change = streamChange(record('MODIFY', { ...keys, quantity: '9', version: '12' }, { ...keys, quantity: '4', version: '11' }));
    if (!change) throw new Error('a change was expected');
    const at = new Date('2026-12-03T11:00:00Z');
    expect(derivedMovement(change, at)).toEqual(derivedMovement(change, at));
    expect(derivedMovement(change, at)).toMatchObject({
      movement_id: 'derived.store-1.SKU-1.12',
      delta: 5,
      quantity_before: 4,
      quantity_after: 9,
      source: 'reconcile',
    });
  });
});
