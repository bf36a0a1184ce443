import type { RequestHandler, Router } from 'express';
import { jsonBody, methodNotAllowed } from '@inventory/shared/http-server';
import { ALL_STORES, apiKeyRequestSchema, foreignStores, NotFoundError, parseInput, type StoreScope } from '@inventory/domain/model';
import { type AccessControl, type ApiKeyDirectory, type ApiKeyRepository, assertStores, requestPrincipal } from '@inventory/service/access';

const KEY_ID = /^[0-9a-f]{16}$/;

/** A key's stores as a list to check: "every store" is the store `*`, which only an all-stores admin holds. */
const storeListOf = ({ stores }: { stores: StoreScope }): readonly string[] => (stores === ALL_STORES ? [ALL_STORES] : stores);

function keyIdOf(id: unknown): string {
  const keyId = String(id);
  if (!KEY_ID.test(keyId)) throw new NotFoundError(`no API key ${keyId.slice(0, 64)}`);
  return keyId;
}

/**
 * `/admin/api-keys` (admins, apps/README.md#access-control): create (the secret shown once), list,
 * revoke (every pod refuses the key within 5 s) and rotate (a new key with the same name, role and
 * stores; the old stays valid until revoked, so devices can move over). An admin limited to some
 * stores sees, issues, rotates and revokes keys of those stores only.
 */
export function mountApiKeyRoutes(
  router: Router,
  access: AccessControl,
  keys: { repository: ApiKeyRepository; directory: ApiKeyDirectory },
): void {
  router
    .route('/admin/api-keys')
    .post(access.guard('post', '/admin/api-keys'), jsonBody(), (async (req, res) => {
      const request = parseInput(apiKeyRequestSchema, req.body);
      assertStores(requestPrincipal(req), storeListOf(request));
      const { key, secret } = await keys.repository.create(request);
      res
        .status(201)
        .location(`/admin/api-keys/${key.key_id}`)
        .json({ ...key, secret });
    }) satisfies RequestHandler)
    .get(access.guard('get', '/admin/api-keys'), async (req, res) => {
      // An admin limited to stores sees only the keys it could have issued.
      const principal = requestPrincipal(req);
      const all = await keys.repository.list();
      res.json({ api_keys: all.filter((key) => foreignStores(principal, storeListOf(key)).length === 0) });
    })
    .all(methodNotAllowed('GET', 'POST'));
  router
    .route('/admin/api-keys/:keyId')
    .delete(access.guard('delete', '/admin/api-keys/{keyId}'), async (req, res) => {
      const keyId = keyIdOf(req.params['keyId']);
      const key = await keys.repository.get(keyId);
      if (!key) throw new NotFoundError(`no API key ${keyId}`);
      assertStores(requestPrincipal(req), storeListOf(key));
      if (!(await keys.directory.revoke(keyId))) throw new NotFoundError(`no API key ${keyId}`);
      res.status(204).end();
    })
    .all(methodNotAllowed('DELETE'));
  router
    .route('/admin/api-keys/:keyId/rotate')
    .post(access.guard('post', '/admin/api-keys/{keyId}/rotate'), async (req, res) => {
      const keyId = keyIdOf(req.params['keyId']);
      const old = await keys.repository.get(keyId);
      if (!old || old.revoked_at !== null) throw new NotFoundError(`no API key ${keyId} in force`);
      assertStores(requestPrincipal(req), storeListOf(old));
      const { key, secret } = await keys.repository.create({ name: old.name, role: old.role, stores: old.stores, rotated_from: keyId });
      res
        .status(201)
        .location(`/admin/api-keys/${key.key_id}`)
        .json({ ...key, secret });
    })
    .all(methodNotAllowed('POST'));
}
