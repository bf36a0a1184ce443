import type { SkuRecord } from '@inventory/domain/model';
import { manifestRecord } from './manifest';
import { integrityHash } from './sku-integrity';

/** A run of one store's manifest: SKUs `first` to `first + count - 1`. Plain data, to cross threads. */
export interface ManifestSlice {
  manifest_seed: number;
  store_index: number;
  change_ratio: number;
  first: number;
  count: number;
}

export interface CheckedSku {
  record: SkuRecord;
  contentHash: string;
}

/** The storm's CPU stage for one slice: each SKU's manifest record through the integrity stage. */
export function checkManifestSlice(slice: ManifestSlice): CheckedSku[] {
  const checked: CheckedSku[] = [];
  for (let index = slice.first; index < slice.first + slice.count; index += 1) {
    const record = manifestRecord(slice.manifest_seed, slice.store_index, index, slice.change_ratio);
    checked.push({ record, contentHash: integrityHash(record) });
  }
  return checked;
}
