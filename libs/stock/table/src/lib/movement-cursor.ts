import { ValidationError } from '@inventory/domain/model';

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
  return encode({ s: scope, k: position.sortKey, i: position.shown });
}

/** An opaque `next_cursor` of a SKU's listing (newest first): the version it ended at. */
export function encodeSkuCursor(scope: string, version: number): string {
  return encode({ s: scope, v: version });
}

const encode = (cursor: object) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

const refuse = (problem: string) => new ValidationError(`cursor ${problem}`, [{ field: 'cursor', problem }]);

/** The cursor's fields, if it is one we issue for this `scope`; anything else is a 400 naming `cursor`. */
function decode(cursor: string, scope: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse('is not a cursor this API issued');
  }
  if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { s?: unknown }).s !== 'string') {
    throw refuse('is not a cursor this API issued');
  }
  const fields = parsed as Record<string, unknown>;
  if (fields['s'] !== scope) throw refuse('was issued for another listing');
  return fields;
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

/** A store listing's position; a cursor of another listing, shape or form can never page another store. */
export function decodeStoreCursor(cursor: string, scope: string): StorePosition {
  const { k, i } = decode(cursor, scope);
  if (typeof k !== 'string' || !SORT_KEY.test(k) || !isCount(i)) throw refuse('is not a cursor this API issued');
  return { sortKey: k, shown: i };
}

/** The version a SKU listing's page ended at (the next page shows older ones). */
export function decodeSkuCursor(cursor: string, scope: string): number {
  const { v } = decode(cursor, scope);
  if (!isCount(v) || v === 0) throw refuse('is not a cursor this API issued');
  return v;
}
