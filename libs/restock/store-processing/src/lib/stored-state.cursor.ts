import type { RestockState } from '@inventory/stock/inventory-table';

/**
 * One store's stored restock state, read page by page in SKU order only as far as the chunk being
 * checked needs. Comparing SKUs with `<` follows DynamoDB's (UTF-8 byte) key order whenever one side
 * is ASCII, as manifest SKUs are.
 */
export class StoredStateCursor {
  private readonly states = new Map<string, RestockState>();
  private highestRead = '';
  private exhausted = false;

  constructor(private readonly pages: AsyncIterator<Array<[string, RestockState]>>) {}

  /** The state of every stored SKU up to `sku` in key order (and of some after it). */
  async through(sku: string): Promise<ReadonlyMap<string, RestockState>> {
    while (!this.exhausted && this.highestRead < sku) {
      const page = await this.pages.next();
      if (page.done) {
        this.exhausted = true;
        break;
      }
      for (const [storedSku, state] of page.value) this.states.set(storedSku, state);
      this.highestRead = page.value.at(-1)?.[0] ?? this.highestRead;
    }
    return this.states;
  }
}
