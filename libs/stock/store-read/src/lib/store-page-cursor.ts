import { skuSchema, ValidationError } from '@inventory/domain/model';

/** A store page's `cursor`: the store it pages and the last SKU it showed, opaque to callers. */
export function encodeStorePageCursor(storeId: string, lastSku: string): string {
  return Buffer.from(JSON.stringify({ s: storeId, k: lastSku })).toString('base64url');
}

/** The SKU a cursor resumes after; a cursor not issued by us, or for another store, is a 400 naming it. */
export function decodeStorePageCursor(cursor: string, storeId: string): string {
  const refuse = (problem: string) => new ValidationError(`cursor ${problem}`, [{ field: 'cursor', problem }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse('is not a cursor this API issued');
  }
  const { s, k } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as { s?: unknown; k?: unknown };
  if (typeof s !== 'string' || !skuSchema.safeParse(k).success) throw refuse('is not a cursor this API issued');
  if (s !== storeId) throw refuse('was issued for another store');
  return k as string;
}
