import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { InventoryItem } from '@inventory/domain/model';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** A store's read answer, serialized and compressed once per change, served as bytes. */
export interface StoreAnswer {
  etag: string;
  identity: Buffer;
  gzip: Buffer;
}

/** Strong ETag of the uncompressed JSON, so both encodings of one answer share it. */
function etagOf(json: Buffer): string {
  return `"${createHash('sha256').update(json).digest('base64url').slice(0, 32)}"`;
}

export async function serializeStoreAnswer(items: InventoryItem[]): Promise<StoreAnswer> {
  const identity = Buffer.from(JSON.stringify(items));
  return { etag: etagOf(identity), identity, gzip: await gzipAsync(identity) };
}

export async function inflateStoreAnswer(etag: string, compressed: Buffer): Promise<StoreAnswer> {
  return { etag, identity: await gunzipAsync(compressed), gzip: compressed };
}
