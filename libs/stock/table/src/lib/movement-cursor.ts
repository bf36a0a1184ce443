import { ValidationError } from '@inventory/domain/model';

// A movement's sort key: `<RFC 3339 with ms>#<sku>#<version, 16 digits>` (movement-table.ts).
const SORT_KEY = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)#([A-Za-z0-9._-]{1,128})#(\d{16})$/;

/** Where a page of movements ends: the last sort key shown, bound to the listing it came from. */
export interface MovementPosition {
  sortKey: string;
  sku: string;
  version: number;
}

/** An opaque `next_cursor`: the listing it belongs to and the last sort key it showed. */
export function encodeMovementCursor(scope: string, sortKey: string): string {
  return Buffer.from(JSON.stringify({ s: scope, k: sortKey })).toString('base64url');
}

/**
 * The position a cursor names, if it is one we issue for this `scope` (a store's or a SKU's
 * listing); anything else is a 400 naming `cursor`, so a cursor can never page another listing.
 */
export function decodeMovementCursor(cursor: string, scope: string): MovementPosition {
  const refuse = (problem: string) => new ValidationError(`cursor ${problem}`, [{ field: 'cursor', problem }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse('is not a cursor this API issued');
  }
  const { s, k } = (parsed ?? {}) as { s?: unknown; k?: unknown };
  const match = typeof k === 'string' ? SORT_KEY.exec(k) : null;
  if (typeof s !== 'string' || !match) throw refuse('is not a cursor this API issued');
  if (s !== scope) throw refuse('was issued for another listing');
  return { sortKey: k as string, sku: match[2] as string, version: Number(match[3]) };
}
