import type { Request, RequestHandler } from 'express';
import { parseInput, storeIdSchema } from '@inventory/domain';
import type { StoreInventoryReader } from '@inventory/inventory-service';

/** Gzip only when asked: the original's plain `curl` sends no Accept-Encoding and must get JSON. */
function wantsGzip(req: Request): boolean {
  return req.headers['accept-encoding'] !== undefined && req.acceptsEncodings('gzip', 'identity') === 'gzip';
}

/**
 * Weak comparison, as RFC 9110 asks for If-None-Match. Not `req.fresh`: it refuses 304 whenever the
 * request says `Cache-Control: no-cache`, which fetch() adds to every conditional request, though
 * that directive asks caches to revalidate with us, and a 304 is exactly that revalidation.
 */
function matchesIfNoneMatch(req: Request, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  return header.trim() === '*' || header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/**
 * `GET /inventory/store/{storeId}`: the store's items as a JSON array (`[]` for an unknown store),
 * sent as cached bytes; `If-None-Match` with the current ETag answers 304 with no body.
 */
export function getStoreInventory(reader: StoreInventoryReader): RequestHandler {
  return async (req, res) => {
    const storeId = parseInput(storeIdSchema, req.params['storeId'], 'storeId');
    const answer = await reader.read(storeId, () => {
      const abort = new AbortController();
      res.once('close', () => abort.abort());
      return abort.signal;
    });

    res.setHeader('ETag', answer.etag);
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('X-Cache', answer.cache.toUpperCase());
    if (matchesIfNoneMatch(req, answer.etag)) {
      res.status(304).end();
      return;
    }
    const gzip = wantsGzip(req);
    const body = gzip ? answer.gzip : answer.identity;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    if (gzip) res.setHeader('Content-Encoding', 'gzip');
    res.setHeader('Content-Length', body.length);
    res.status(200).end(req.method === 'HEAD' ? undefined : body);
  };
}
