import type { AttributeValue as StreamAttributeValue, _Record } from '@aws-sdk/client-dynamodb-streams';
import type { MovementKind, StockMovement } from '@inventory/domain/model';
import { ATTR } from '@inventory/stock/inventory-table';

/** One stock change as the table's stream carries it, with what names its movement. */
export interface StreamChange {
  storeId: string;
  sku: string;
  version: number;
  quantity: number;
  before: { quantity: number; version: number };
  /** Where the change's movement is (one record per change). */
  movement:
    | { kind: 'recorded'; at: string }
    | { kind: 'inline'; movement: StockMovement; recorded: boolean; change: MovementKind }
    | { kind: 'unrecorded' };
}

type Image = Record<string, StreamAttributeValue> | undefined;

const numberOf = (image: Image, name: string) => Number(image?.[name]?.N ?? 0);

function parsedMovement(json: string | undefined, version: number): StockMovement | undefined {
  if (!json) return undefined;
  const movement = JSON.parse(json) as StockMovement;
  return movement.version === version ? movement : undefined;
}

/**
 * The stock change a stream record carries, or undefined for a record that changes no stock (an
 * item removed, or rewritten at the same version). Where its movement is: an API write names its
 * record (`movement_at`), a batch row carries its movement to be recorded (`batch_movement`), a
 * storm its movement, recorded in the storm's chunks (`storm_movement`).
 */
export function streamChange(record: _Record): StreamChange | undefined {
  const newImage: Image = record.dynamodb?.NewImage;
  const oldImage: Image = record.dynamodb?.OldImage;
  if (record.eventName === 'REMOVE' || !newImage) return undefined;
  const version = numberOf(newImage, ATTR.version);
  const before = { quantity: numberOf(oldImage, ATTR.quantity), version: numberOf(oldImage, ATTR.version) };
  if (version <= before.version) return undefined;
  const change = {
    storeId: newImage[ATTR.storeId]?.S ?? '',
    sku: newImage[ATTR.sku]?.S ?? '',
    version,
    quantity: numberOf(newImage, ATTR.quantity),
    before,
  };
  // A batch row's movement carries whether the row set or adjusted (`change`), which its record keeps.
  const batch = parsedMovement(newImage[ATTR.batchMovement]?.S, version) as (StockMovement & { change?: MovementKind }) | undefined;
  if (batch) {
    const { change: kind = 'set', ...movement } = batch;
    return { ...change, movement: { kind: 'inline', movement, recorded: false, change: kind } };
  }
  const storm = parsedMovement(newImage[ATTR.stormMovement]?.S, version);
  if (storm) {
    // The storm's write is unconditional: it went from the quantity it replaced (the old image), which
    // a change made after the storm's read makes other than the one its movement was decided from.
    const rebased = { ...storm, quantity_before: before.quantity, delta: change.quantity - before.quantity };
    return { ...change, movement: { kind: 'inline', movement: rebased, recorded: true, change: 'set' } };
  }
  const at = newImage[ATTR.movementAt]?.S;
  return { ...change, movement: at ? { kind: 'recorded', at } : { kind: 'unrecorded' } };
}

/**
 * The movement of a change nothing recorded (a write from outside the platform's write paths):
 * derived from the images, with an id derived from the change, so deriving it again makes the
 * same movement.
 */
export function derivedMovement(change: StreamChange, at: Date): StockMovement {
  return {
    movement_id: `derived.${change.storeId}.${change.sku}.${change.version}`,
    store_id: change.storeId,
    sku: change.sku,
    delta: change.quantity - change.before.quantity,
    quantity_before: change.before.quantity,
    quantity_after: change.quantity,
    version: change.version,
    reason: 'reconcile',
    source: 'reconcile',
    reference: null,
    actor: 'unknown',
    on_behalf_of: null,
    idempotency_key: null,
    request_id: null,
    at: at.toISOString(),
  };
}
