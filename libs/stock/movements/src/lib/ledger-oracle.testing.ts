import type { StockMovement } from '@inventory/domain/model';
import type { MovementHistoryRepository } from './movement-history.repository';

/**
 * The ledger oracle (tools/e2e/README.md#how-we-test): what every test that changes stock asserts,
 * checked from the stored items and movements alone, independently of how they were written.
 */
export interface LedgerState {
  items: Array<{ store_id: string; sku: string; quantity: number }>;
  movements: StockMovement[];
}

/** `store/sku` of every item the table must hold, none missing and none extra, with its quantity before its first movement. */
export type LedgerExpectation = Map<string, number>;

const keyOf = (item: { store_id: string; sku: string }) => `${item.store_id}/${item.sku}`;

/**
 * Every way the state breaks the ledger, named; none when it adds up: each movement's
 * `quantity_after − quantity_before = delta`; each `quantity_before` equal to the `quantity_after`
 * before it (by version), the first to the known initial quantity; no version, movement id or
 * (per SKU) idempotency key twice; the newest `quantity_after` equal to the item's quantity; and
 * exactly the expected items in the table.
 */
export function ledgerProblems(state: LedgerState, expected: LedgerExpectation): string[] {
  const problems: string[] = [];
  const items = new Map(state.items.map((item) => [keyOf(item), item]));
  for (const key of expected.keys()) if (!items.has(key)) problems.push(`${key}: missing from the table`);
  for (const key of items.keys()) if (!expected.has(key)) problems.push(`${key}: in the table, not expected`);

  const ids = new Set<string>();
  for (const movement of state.movements) {
    if (ids.has(movement.movement_id)) problems.push(`${keyOf(movement)}: movement ${movement.movement_id} recorded twice`);
    ids.add(movement.movement_id);
  }
  const bySku = new Map<string, StockMovement[]>();
  for (const movement of state.movements) bySku.set(keyOf(movement), [...(bySku.get(keyOf(movement)) ?? []), movement]);
  for (const key of bySku.keys()) if (!expected.has(key)) problems.push(`${key}: movements of a SKU not expected`);

  for (const [key, initial] of expected) {
    const chain = [...(bySku.get(key) ?? [])].sort((a, b) => a.version - b.version);
    const keys = new Set<string>();
    let quantity = initial;
    let version = -1;
    for (const movement of chain) {
      const at = `${key} v${movement.version}`;
      if (movement.version === version) problems.push(`${at}: two movements at one version`);
      if (movement.quantity_after - movement.quantity_before !== movement.delta)
        problems.push(`${at}: ${movement.quantity_before} + ${movement.delta} is not ${movement.quantity_after}`);
      if (movement.quantity_before !== quantity)
        problems.push(`${at}: starts from ${movement.quantity_before}, the one before ended at ${quantity}`);
      if (movement.idempotency_key !== null) {
        if (keys.has(movement.idempotency_key)) problems.push(`${at}: idempotency key ${movement.idempotency_key} applied twice`);
        keys.add(movement.idempotency_key);
      }
      quantity = movement.quantity_after;
      version = movement.version;
    }
    const item = items.get(key);
    if (item && item.quantity !== quantity) problems.push(`${key}: holds ${item.quantity}, its ledger ends at ${quantity}`);
  }
  return problems;
}

/** Every movement of a store, oldest first, through all pages of its listing. */
export async function allStoreMovements(history: MovementHistoryRepository, storeId: string): Promise<StockMovement[]> {
  const movements: StockMovement[] = [];
  let cursor: string | undefined;
  do {
    const page = await history.storeMovements(storeId, new Date(0).toISOString(), 500, cursor);
    movements.push(...page.movements);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return movements;
}

/** Where the oracle reads a store's items and movements: a process's backends, or a test environment's. */
export interface LedgerSources {
  history: MovementHistoryRepository;
  repository: { listStoreItems(storeId: string): Promise<Array<{ store_id: string; sku: string; quantity: number }>> };
}

/** The ledger's problems over the stores the expectation names, read from the tables (strongly consistent). */
export async function ledgerProblemsIn(sources: LedgerSources, expected: LedgerExpectation): Promise<string[]> {
  const stores = [...new Set([...expected.keys()].map((key) => key.slice(0, key.indexOf('/'))))];
  const state: LedgerState = { items: [], movements: [] };
  for (const store of stores) {
    state.items.push(...(await sources.repository.listStoreItems(store)));
    state.movements.push(...(await allStoreMovements(sources.history, store)));
  }
  return ledgerProblems(state, expected);
}
