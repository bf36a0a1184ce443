/**
 * FNV-1a (32 bit) of a text's UTF-16 code units, unsigned. Stable across processes and releases:
 * it places keys that must be found again (a store's share of the totals, a SKU's storm chunk).
 */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}
