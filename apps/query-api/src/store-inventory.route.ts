import type { IncomingMessage } from 'node:http';
import accepts from 'accepts';
import type { DirectRoute } from '@inventory/shared/http-server';
import { parseInput, storeIdSchema, storeReadQuerySchema } from '@inventory/domain/model';
import type { StoreInventoryReader } from '@inventory/stock/store-read';
import type { AccessControl } from '@inventory/service/access';

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

/** The query string as parameters, a repeated one as the list of its values (which the schemas refuse). */
function queryOf(req: IncomingMessage): Record<string, string | string[]> {
  const url = req.url ?? '';
  const at = url.indexOf('?');
  if (at === -1) return {};
  const params = new URLSearchParams(url.slice(at + 1));
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    query[name] = values.length === 1 ? (values[0] as string) : values;
  }
  return query;
}

/**
 * `GET /inventory/store/{storeId}`: the store's items as a JSON array (`[]` for an unknown store),
 * sent as cached bytes; `If-None-Match` with the current ETag answers 304 with no body. With
 * `limit`/`cursor`, one page of that array (`Link: rel="next"` while more remain). A delta read
 * (`since_version`) moved to `/changes`, so that this route has one answer a typed client can
 * index: it is answered 308 there (fetch follows it with the same credential). Each answer says
 * its version in `X-Store-Version` (absent only while Redis is unreachable).
 */
export function storeInventoryRoute(reader: StoreInventoryReader, access: AccessControl): DirectRoute {
  return {
    method: 'GET',
    path: '/inventory/store/:storeId',
    middleware: [access.guard('get', '/inventory/store/{storeId}')],
    handle: async (req, res) => {
      const storeId = parseInput(storeIdSchema, req.params['storeId'], 'storeId');
      const query = parseInput(storeReadQuerySchema, queryOf(req), 'query');
      if (query.kind === 'delta') {
        res.setHeader('Location', `/inventory/store/${encodeURIComponent(storeId)}/changes?since_version=${query.since}`);
        res.setHeader('Cache-Control', 'no-cache');
        res.statusCode = 308;
        res.end();
        return;
      }
      const answer =
        query.kind === 'page'
          ? await reader.readPage(storeId, query.limit, query.cursor)
          : await reader.read(storeId, () => {
              const abort = new AbortController();
              res.once('close', () => abort.abort());
              return abort.signal;
            });
      if (answer.version !== undefined) res.setHeader('X-Store-Version', String(answer.version));
      if (query.kind === 'page' && 'next_cursor' in answer && answer.next_cursor) {
        res.setHeader('Link', `</inventory/store/${storeId}?limit=${query.limit}&cursor=${answer.next_cursor}>; rel="next"`);
      }

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
