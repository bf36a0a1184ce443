import type { WriteContext } from '@inventory/stock/store-update';
import { type PromiseLedger, type SkuNow, skuKey } from './promise-ledger';

export interface SafetyStockAnswer {
  store_id: string;
  sku: string;
  safety_stock: number;
}

/**
 * `PUT /inventory/store/{storeId}/sku/{sku}/safety-stock` (operator): units kept out of `available`
 * so the last ones on the shelf are never promised online. A movement (`safety_stock`, delta 0) like
 * every change of what a read shows; setting the value it already has changes nothing.
 */
export async function setSafetyStock(
  ledger: PromiseLedger,
  storeId: string,
  sku: string,
  safetyStock: number,
  context: WriteContext,
): Promise<SafetyStockAnswer> {
  const answer = { store_id: storeId, sku, safety_stock: safetyStock };
  const [current] = (await ledger.read([{ storeId, sku }])).values();
  if (current?.promise.safety_stock === safetyStock) return answer;
  return ledger.apply(
    storeId,
    async () => {
      const known = await ledger.read([{ storeId, sku }]);
      const { promise } = known.get(skuKey(storeId, sku)) as SkuNow;
      return {
        known,
        changes: [{ store_id: storeId, sku, delta: 0, reason: 'safety_stock', promise: { ...promise, safety_stock: safetyStock } }],
        actions: [],
        reference: null,
        answer,
      };
    },
    context,
    undefined,
  );
}
