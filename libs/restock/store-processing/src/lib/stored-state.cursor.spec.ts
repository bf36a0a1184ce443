import type { RestockState } from '@inventory/stock/inventory-table';
import { StoredStateCursor } from './stored-state.cursor';

const state = (version: number): RestockState => ({ version, quantity: version, content_hash: `hash-${version}` });

/** Pages of the given SKUs, counting how often the cursor asked for the next one. */
function pagesOf(...pages: string[][]) {
  const pulled = { count: 0 };
  const generated = (async function* () {
    for (const page of pages) yield page.map((sku, i): [string, RestockState] => [sku, state(i + 1)]);
  })();
  const counting: AsyncIterator<Array<[string, RestockState]>> = {
    next: () => {
      pulled.count += 1;
      return generated.next();
    },
  };
  return { pages: counting, pulled };
}

describe('StoredStateCursor', () => {
  it('when the SKU asked for is on the first page, then only that page is read', async () => {
    const { pages, pulled } = pagesOf(['SKU-1001', 'SKU-1002'], ['SKU-1003', 'SKU-1004']);
    const states = await new StoredStateCursor(pages).through('SKU-1002');
    expect([...states.keys()]).toEqual(['SKU-1001', 'SKU-1002']);
    expect(pulled.count).toBe(1);
  });

  it('when the SKU asked for falls between two pages, then the page that passes it is read too', async () => {
    const { pages, pulled } = pagesOf(['SKU-1001', 'SKU-1003'], ['SKU-1005', 'SKU-1007'], ['SKU-1009']);
    const states = await new StoredStateCursor(pages).through('SKU-1004');
    expect(states.get('SKU-1005')).toEqual(state(1));
    expect(pulled.count).toBe(2);
  });

  it('when asked again for a SKU already passed, then no page is read', async () => {
    const { pages, pulled } = pagesOf(['SKU-1001', 'SKU-1002'], ['SKU-1003']);
    const cursor = new StoredStateCursor(pages);
    await cursor.through('SKU-1002');
    await cursor.through('SKU-1001');
    expect(pulled.count).toBe(1);
  });

  it('when asked past every stored SKU, then all pages are read once and the end is remembered', async () => {
    const { pages, pulled } = pagesOf(['SKU-1001'], [], ['SKU-1002']);
    const cursor = new StoredStateCursor(pages);
    expect([...(await cursor.through('SKU-9999')).keys()]).toEqual(['SKU-1001', 'SKU-1002']);
    // Three pages, then the one ask that finds no more.
    expect(pulled.count).toBe(4);
    expect([...(await cursor.through('SKU-99999')).keys()]).toEqual(['SKU-1001', 'SKU-1002']);
    expect(pulled.count).toBe(4);
  });

  it('when SKU numbers differ in length, then key order (not number order) decides what is read', async () => {
    // 'SKU-10001' sorts before 'SKU-2001', so asking through 'SKU-2001' must have read it.
    const { pages } = pagesOf(['SKU-10001'], ['SKU-2001'], ['SKU-3001']);
    const states = await new StoredStateCursor(pages).through('SKU-2001');
    expect([...states.keys()]).toEqual(['SKU-10001', 'SKU-2001']);
  });
});
