import { ValidationError } from './app-error';

/** A paging cursor refused: a 400 naming `cursor`, never clamped, never another listing's data. */
export const refusedCursor = (problem: string) => new ValidationError(`cursor ${problem}`, [{ field: 'cursor', problem }]);

/** An opaque `cursor`: base64url JSON of the listing it belongs to (`s`) and where it ended. */
export function encodeCursor(scope: string, position: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ s: scope, ...position })).toString('base64url');
}

/**
 * The position fields of a cursor we issued for `scope` (the caller checks their form); one that
 * is not ours, or belongs to another listing, is refused.
 */
export function decodeCursor(cursor: string, scope: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refusedCursor('is not a cursor this API issued');
  }
  if (typeof parsed !== 'object' || parsed === null || typeof (parsed as { s?: unknown }).s !== 'string') {
    throw refusedCursor('is not a cursor this API issued');
  }
  const { s, ...position } = parsed as Record<string, unknown>;
  if (s !== scope) throw refusedCursor('was issued for another listing');
  return position;
}
