import type { StockMovement } from '@inventory/domain/model';
import type { MovementHistoryRepository } from './lib/movement-history.repository';
import { allStoreMovements } from './lib/ledger-oracle.testing';

export {
  allStoreMovements,
  ledgerProblems,
  ledgerProblemsIn,
  type LedgerExpectation,
  type LedgerSources,
  type LedgerState,
} from './lib/ledger-oracle.testing';

/** Every movement of one SKU, in version order. */
export async function skuMovements(history: MovementHistoryRepository, storeId: string, sku: string): Promise<StockMovement[]> {
  return (await allStoreMovements(history, storeId)).filter((movement) => movement.sku === sku).sort((a, b) => a.version - b.version);
}
