import type { IncomingMessage } from 'node:http';
import accepts from 'accepts';
import type { DirectRoute } from '@inventory/shared/http-server';
import { parseInput, storeIdSchema } from '@inventory/domain/model';
import type { StoreInventoryReader } from '@inventory/stock/store-read';

/** Gzip only when asked: the original's plain `curl` sends no Accept-Encoding and must get JSON. */
function wantsGzip(req: IncomingMessage): boolean {
  return req.headers['accept-encoding'] !== undefined && accepts(req).encodings(['gzip', 'identity']) === 'gzip';
}

/**
 * Weak comparison, as RFC 9110 asks for If-None-Match. Not Express's `req.fresh`: it refuses 304
 * whenever the request says `Cache-Control: no-cache`, which fetch() adds to every conditional
 * request, though that directive asks caches to revalidate with us, and a 304 is exactly that.
 */
function matchesIfNoneMatch(req: IncomingMessage, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  return header.trim() === '*' || header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/**
 * `GET /inventory/store/{storeId}`: the store's items as a JSON array (`[]` for an unknown store),
 * sent as cached bytes; `If-None-Match` with the current ETag answers 304 with no body.
 */
export function storeInventoryRoute(reader: StoreInventoryReader): DirectRoute {
  return {
    method: 'GET',
    path: '/inventory/store/:storeId',
    handle: async (req, res) => {
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
        res.statusCode = 304;
        res.end();
        return;
      }
      const gzip = wantsGzip(req);
      const body = gzip ? answer.gzip : answer.identity;
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      if (gzip) res.setHeader('Content-Encoding', 'gzip');
      res.setHeader('Content-Length', body.length);
      res.statusCode = 200;
      res.end(req.method === 'HEAD' ? undefined : body);
    },
  };
}
