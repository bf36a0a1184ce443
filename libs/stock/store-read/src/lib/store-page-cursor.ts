import { decodeCursor, encodeCursor, refusedCursor, skuSchema } from '@inventory/domain/model';

const scopeOf = (storeId: string) => `page:${storeId}`;

/** A store page's `cursor`: the store it pages and the last SKU it showed, opaque to callers. */
export function encodeStorePageCursor(storeId: string, lastSku: string): string {
  return encodeCursor(scopeOf(storeId), { k: lastSku });
}

/** The SKU a cursor resumes after; a cursor not issued by us, or for another store, is a 400 naming it. */
export function decodeStorePageCursor(cursor: string, storeId: string): string {
  const { k } = decodeCursor(cursor, scopeOf(storeId));
  if (!skuSchema.safeParse(k).success) throw refusedCursor('is not a cursor this API issued');
  return k as string;
}
