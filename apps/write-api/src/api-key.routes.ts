import type { RequestHandler, Router } from 'express';
import { jsonBody, methodNotAllowed } from '@inventory/shared/http-server';
import { apiKeyRequestSchema, NotFoundError, parseInput } from '@inventory/domain/model';
import { type AccessControl, type ApiKeyDirectory, type ApiKeyRepository, assertStores, requestPrincipal } from '@inventory/service/access';

const KEY_ID = /^[0-9a-f]{16}$/;

function keyIdOf(id: unknown): string {
  const keyId = String(id);
  if (!KEY_ID.test(keyId)) throw new NotFoundError(`no API key ${keyId.slice(0, 64)}`);
  return keyId;
}

/**
 * `/admin/api-keys` (admins, apps/README.md#access-control): create (the secret shown once), list,
 * revoke (every pod refuses the key within 5 s) and rotate (a new key with the same name, role and
 * stores; the old stays valid until revoked, so devices can move over). An admin limited to some
 * stores issues keys for those stores only.
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
      const principal = requestPrincipal(req);
      if (request.stores === '*') assertStores(principal, ['*']);
      else assertStores(principal, request.stores);
      const { key, secret } = await keys.repository.create(request);
      res
        .status(201)
        .location(`/admin/api-keys/${key.key_id}`)
        .json({ ...key, secret });
    }) satisfies RequestHandler)
    .get(access.guard('get', '/admin/api-keys'), async (_req, res) => {
      res.json({ api_keys: await keys.repository.list() });
    })
    .all(methodNotAllowed('GET', 'POST'));
  router
    .route('/admin/api-keys/:keyId')
    .delete(access.guard('delete', '/admin/api-keys/{keyId}'), async (req, res) => {
      const keyId = keyIdOf(req.params['keyId']);
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
      const principal = requestPrincipal(req);
      assertStores(principal, old.stores === '*' ? ['*'] : old.stores);
      const { key, secret } = await keys.repository.create({ name: old.name, role: old.role, stores: old.stores, rotated_from: keyId });
      res
        .status(201)
        .location(`/admin/api-keys/${key.key_id}`)
        .json({ ...key, secret });
    })
    .all(methodNotAllowed('POST'));
}
