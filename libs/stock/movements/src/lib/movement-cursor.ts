import { decodeCursor, encodeCursor, refusedCursor } from '@inventory/domain/model';

// A store listing's item: a movement (`<RFC 3339 with ms>#<sku>#<version, 16 digits>`,
// movement-table.ts) or a storm chunk (`<RFC 3339 with ms>#~storm#<storm id>#<bucket>`).
const SORT_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#([A-Za-z0-9._-]{1,128}#\d{16}|~storm#[A-Za-z0-9._-]{1,128}#\d{2})$/;

/** Where a store's listing resumes: at the item `sortKey`, past its first `shown` movements (a chunk holds many). */
export interface StorePosition {
  sortKey: string;
  shown: number;
}

/** An opaque `next_cursor` of a store's listing, bound to it. */
export function encodeStoreCursor(scope: string, position: StorePosition): string {
  return encodeCursor(scope, { k: position.sortKey, i: position.shown });
}

/** An opaque `next_cursor` of a SKU's listing (newest first): the version it ended at. */
export function encodeSkuCursor(scope: string, version: number): string {
  return encodeCursor(scope, { v: version });
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** A store listing's position; a cursor of another listing, shape or form can never page another store. */
export function decodeStoreCursor(cursor: string, scope: string): StorePosition {
  const { k, i } = decodeCursor(cursor, scope);
  if (typeof k !== 'string' || !SORT_KEY.test(k) || !isCount(i)) throw refusedCursor('is not a cursor this API issued');
  return { sortKey: k, shown: i };
}

/** The version a SKU listing's page ended at (the next page shows older ones). */
export function decodeSkuCursor(cursor: string, scope: string): number {
  const { v } = decodeCursor(cursor, scope);
  if (!isCount(v) || v === 0) throw refusedCursor('is not a cursor this API issued');
  return v;
}
