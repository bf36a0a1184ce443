import type { RecordedChange } from '@inventory/stock/movements';
import { rebasedStormMovement, STORM_VERSION_STEP, stormMovement } from './storm-correction';

const change = (version: number, quantityAfter: number): RecordedChange => ({
  sku: 'A',
  version,
  kind: 'adjust',
  source: 'api',
  delta: -1,
  quantity_after: quantityAfter,
  reference: null,
  sortKey: `2026-12-05T00:00:0${version % 10}.000Z#m-${version}`,
});

describe("the storm's movement as the ledger shows it", () => {
  // Read at version 4 holding 10; written at 4 + STEP holding 30.
  const written = stormMovement(
    { stormId: 'storm-1' },
    's1',
    'A',
    { quantity: 10, version: 4 },
    { quantity: 30, version: 4 + STORM_VERSION_STEP, shortfall: 0 },
    new Date(0),
  );

  it('when no change landed between its read and its write, then it is the movement decided from the read', () => {
    expect(rebasedStormMovement(written, [change(3, 10), change(4 + STORM_VERSION_STEP + 1, 29)])).toBe(written);
  });

  it('when sales landed between its read and its write, then it starts from the last one it overwrote, its delta to match', () => {
    const rebased = rebasedStormMovement(written, [change(6, 8), change(5, 9), change(2, 11)]);
    expect(rebased).toEqual({ ...written, quantity_before: 8, delta: 22 });
  });
});
