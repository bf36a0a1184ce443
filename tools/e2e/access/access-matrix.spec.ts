import { randomUUID } from 'node:crypto';
import { type AttributeValue, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { API_OPERATIONS, type ApiOperation } from '@inventory/shared/api-contract';
import { forgedTokens, type LocalOidcProvider, type OidcClient, startLocalOidcProvider } from '@inventory/shared/local-services';
import { ROLES, type Role } from '@inventory/domain/model';
import { createRestockQueue, type RestockQueue } from '@inventory/restock/queue';
import { StormRecords } from '@inventory/restock/storm';
import { movementTableName } from '@inventory/stock/movements';
import { type AppEnvironment, type RunningApps, spawnBuiltApps, startAppEnvironment, stopApps } from '@inventory/service/built-apps';
import { createInventoryClient } from '@inventory/client';
import {
  accessMatrix,
  FOREIGN_STORE,
  leastRoleWith,
  type MatrixFixtures,
  nearestRoleWithout,
  OWN_STORE,
  type SampleRequest,
  THIRD_STORE,
} from './access-matrix';

/** A client per role and store: `<role>@<store>`, holding that role for that one store. */
const clientId = (role: Role, store: string) => `${role}@${store}`;
const CLIENTS: OidcClient[] = ROLES.flatMap((role) =>
  [OWN_STORE, FOREIGN_STORE].map((store) => ({
    client_id: clientId(role, store),
    client_secret: `${clientId(role, store)}-secret-0123456789`,
    scope: `inventory/${role}`,
    inventory_stores: [store],
  })),
);

interface Answer {
  status: number;
  wwwAuthenticate: string | null;
  body: { error?: { code?: string; message?: string } } & Record<string, unknown>;
}

/**
 * Every route of the OpenAPI document, called on the built apps (real processes, a real OpenID
 * provider) by every caller it must refuse and by the one it must let in (apps/README.md#access-control).
 */
describe('access matrix: every route, every wrong caller, then the right one', () => {
  let provider: LocalOidcProvider;
  let env: AppEnvironment;
  let apps: RunningApps;
  let secondWriteApi: RunningApps;
  let queue: RestockQueue;
  let storms: StormRecords;
  const keys = new Map<Role, string>();
  const tokens = new Map<string, string>();
  let revokedKey: string;
  const fixtures: MatrixFixtures = {
    webhookId: '',
    webhookToRemove: '',
    stormId: 'storm-1000000000000-00000000',
    keyToRotate: '',
    keyToRevoke: '',
    promises: {},
    storeVersions: {},
  };
  const rows = accessMatrix(API_OPERATIONS);

  const urlOf = (app: ApiOperation['app']) => (apps[app] as RunningApps[string]).url;
  async function call(app: ApiOperation['app'], request: SampleRequest, authorization?: string, base = urlOf(app)): Promise<Answer> {
    const response = await fetch(`${base}${request.path}`, {
      method: request.method,
      headers: {
        ...(authorization === undefined ? {} : { authorization }),
        ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
    });
    const text = await response.text();
    const json = response.headers.get('content-type')?.startsWith('application/json') && text ? JSON.parse(text) : {};
    return { status: response.status, wwwAuthenticate: response.headers.get('www-authenticate'), body: json };
  }
  const asAdmin = (request: SampleRequest) => call('write-api', request, env.authorization);
  const tokenOf = async (role: Role, store: string) => {
    const id = clientId(role, store);
    if (!tokens.has(id)) tokens.set(id, `Bearer ${await provider.token(id)}`);
    return tokens.get(id) as string;
  };
  const issueKey = async (role: Role, stores: string[] | '*') => {
    const created = await asAdmin({ method: 'POST', path: '/admin/api-keys', body: { name: `matrix-${role}`, role, stores } });
    expect(created.status).toBe(201);
    return created.body as { key_id: string; secret: string };
  };

  /** Everything a call could change: both tables (but a key's last use), the storm queue and records. */
  async function platformState() {
    const table = env.config.DYNAMODB_TABLE;
    return {
      inventory: await scanAll(env.backends.dynamodb, table),
      // But the expiry sweep's watermark, which write-api moves on by itself as minutes pass (libs/stock/README.md#promises).
      movements: (await scanAll(env.backends.dynamodb, movementTableName(table))).filter((item) => !item.includes('"expiry#watermark"')),
      jobs: await queue.getJobCounts(),
      storms: (await storms.recent(100)).map((storm) => storm.storm_id),
    };
  }

  beforeAll(async () => {
    provider = await startLocalOidcProvider(CLIENTS);
    const prefix = `{matrix-${randomUUID().slice(0, 8)}}`;
    env = await startAppEnvironment({
      stores: 2,
      skusPerStore: 10,
      env: {
        OIDC_ISSUER: provider.issuer,
        OIDC_JWKS_URL: provider.jwksUrl,
        OIDC_AUDIENCE: provider.audience,
        OIDC_JWKS_COOLDOWN_MS: '100',
        RESTOCK_QUEUE_PREFIX: prefix,
        // Hundreds of wrong credentials from one address: the 429 for that has its own test (access lib).
        RATE_LIMIT_CREDENTIAL_FAILURES: '0',
        RATE_LIMIT_WRITES_PER_MINUTE: '0',
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      },
    });
    apps = await spawnBuiltApps(env, ['query-api', 'write-api']);
    secondWriteApi = await spawnBuiltApps(env, ['write-api']);
    queue = createRestockQueue(env.backends.redis, prefix);
    storms = new StormRecords(env.backends.redis, prefix);

    for (const role of ROLES) keys.set(role, `Bearer ${(await issueKey(role, [OWN_STORE])).secret}`);
    const doomed = await issueKey('admin', '*');
    expect((await asAdmin({ method: 'DELETE', path: `/admin/api-keys/${doomed.key_id}` })).status).toBe(204);
    revokedKey = `Bearer ${doomed.secret}`;
    fixtures.keyToRotate = (await issueKey('till', [OWN_STORE])).key_id;
    fixtures.keyToRevoke = (await issueKey('till', [OWN_STORE])).key_id;
    const registerWebhook = async () => {
      const webhook = await asAdmin({
        method: 'POST',
        path: '/admin/webhooks',
        body: { url: 'http://127.0.0.1:9/matrix', events: ['stock.out'], secret: 'matrix-fixture-secret-0123456789' },
      });
      expect(webhook.status).toBe(201);
      return String(webhook.body['webhook_id']);
    };
    // Per store, a reservation for each of its steps and a transfer from it and one to it (apps/README.md#reservations-and-transfers).
    const created = async (path: string, body: unknown, field: string) => {
      const answer = await asAdmin({ method: 'POST', path, body });
      expect(answer.status).toBe(201);
      return String(answer.body[field]);
    };
    for (const store of [OWN_STORE, FOREIGN_STORE, THIRD_STORE]) {
      for (const sku of ['SKU-1005', 'SKU-1006', 'SKU-1008'])
        expect((await asAdmin({ method: 'POST', path: '/inventory/update', body: { store_id: store, sku, quantity: 50 } })).status).toBe(
          200,
        );
    }
    for (const store of [OWN_STORE, FOREIGN_STORE]) {
      const hold = () =>
        created(
          '/inventory/reservations',
          { store_id: store, items: [{ sku: 'SKU-1005', quantity: 1 }], expires_in_seconds: 3_600 },
          'reservation_id',
        );
      const ship = (from: string, to: string) =>
        created('/inventory/transfers', { from_store: from, to_store: to, items: [{ sku: 'SKU-1008', quantity: 1 }] }, 'transfer_id');
      fixtures.promises[store] = {
        commit: await hold(),
        release: await hold(),
        extend: await hold(),
        cancel: await ship(store, THIRD_STORE),
        receive: await ship(THIRD_STORE, store),
      };
    }
    fixtures.webhookId = await registerWebhook();
    fixtures.webhookToRemove = await registerWebhook();
    const reads = createInventoryClient({ baseUrl: urlOf('query-api'), headers: { authorization: env.authorization } });
    for (const store of [OWN_STORE, FOREIGN_STORE]) {
      const { response } = await reads.GET('/inventory/store/{storeId}', { params: { path: { storeId: store } } });
      fixtures.storeVersions[store] = Number(response.headers.get('x-store-version'));
    }
    // The revocation reaches query-api through the feed (the last test times it); the matrix starts once it has.
    await untilRefused(urlOf('query-api'), revokedKey);
  }, 120_000);

  afterAll(async () => {
    await queue?.close();
    if (secondWriteApi) await stopApps(secondWriteApi);
    if (apps) await stopApps(apps);
    await env?.stop();
    await provider?.stop();
  });

  it('when an operation is added to the contract without a sample request, then the matrix refuses to run, naming it', () => {
    const unsampled = { ...(API_OPERATIONS[0] as ApiOperation), method: 'post', path: '/inventory/secret' } as ApiOperation;
    expect(() => accessMatrix([...API_OPERATIONS, unsampled])).toThrow('no sample request for POST /inventory/secret');
  });

  it('when every guarded route is called with no credential, each bad token kind, a malformed, over-long or non-ASCII header, or a revoked key, then each answers 401 with its Bearer challenge and nothing is written', async () => {
    const before = await platformState();
    const forged = forgedTokens(provider);
    const badCredentials: Array<[string, () => Promise<string | undefined>]> = [
      ['no credential', async () => undefined],
      ['an empty bearer', async () => 'Bearer '],
      ['another scheme', async () => 'Token abc'],
      ['an over-long header', async () => `Bearer ${'x'.repeat(9_000)}`],
      ['a non-ASCII header', async () => 'Bearer clé'],
      ['a revoked key', async () => revokedKey],
      ...Object.entries(forged).map(([kind, token]): [string, () => Promise<string>] => [
        `a token ${kind}`,
        async () => `Bearer ${await token()}`,
      ]),
    ];
    const wrong: string[] = [];
    for (const row of rows.filter(({ access }) => access.permission !== 'public')) {
      for (const [kind, credential] of badCredentials) {
        const answer = await call(row.app, row.sample(OWN_STORE, fixtures), await credential());
        if (answer.status !== 401 || !answer.wwwAuthenticate?.startsWith('Bearer realm="inventory"') || !answer.body.error?.code)
          wrong.push(`${row.operation} with ${kind}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 120)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(await platformState()).toEqual(before);
  });

  it('when every guarded route is called by the nearest role without its permission, or for a store its caller does not hold, then each answers 403 naming what is missing and nothing is written', async () => {
    const before = await platformState();
    const wrong: string[] = [];
    let checked = 0;
    for (const row of rows) {
      const { permission, store } = row.access;
      if (permission === 'public') continue;
      const missingRole = nearestRoleWithout(permission);
      if (missingRole) {
        const answer = await call(row.app, row.sample(OWN_STORE, fixtures), keys.get(missingRole));
        checked += 1;
        if (answer.status !== 403 || !answer.body.error?.message?.includes(permission))
          wrong.push(`${row.operation} by a ${missingRole} key: ${answer.status} ${JSON.stringify(answer.body).slice(0, 120)}`);
      }
      if (store) {
        const answer = await call(row.app, row.sample(FOREIGN_STORE, fixtures), await tokenOf(leastRoleWith(permission), OWN_STORE));
        checked += 1;
        if (answer.status !== 403 || !answer.body.error?.message?.includes(FOREIGN_STORE))
          wrong.push(`${row.operation} for ${FOREIGN_STORE}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 120)}`);
      }
    }
    expect(wrong).toEqual([]);
    // Every store-fenced route and every permission but stock:read (which every role holds) was tried.
    expect(checked).toBeGreaterThan(rows.length);
    expect(await platformState()).toEqual(before);
  });

  it('when every route is called by the least able principal it lets in (a token, and for reads a key too), then each answers its documented success', async () => {
    const wrong: string[] = [];
    let batchAnswer: Answer['body'] = {};
    for (const row of rows) {
      const request = row.sample(OWN_STORE, fixtures);
      const allowed = async (credential: string | undefined, who: string) => {
        const answer = await call(row.app, request, credential);
        if (!row.success.includes(answer.status))
          wrong.push(`${row.operation} by ${who}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 160)}`);
        return answer;
      };
      if (row.access.permission === 'public') {
        await allowed(undefined, 'anyone');
        continue;
      }
      const role = leastRoleWith(row.access.permission);
      const answer = await allowed(await tokenOf(role, OWN_STORE), `the ${role} token`);
      if (row.operation === 'POST /inventory/batch') batchAnswer = answer.body;
      if (row.operation === 'POST /stress/restock') fixtures.stormId = String(answer.body['storm_id']);
      if (request.method === 'GET') await allowed(keys.get(role), `the ${role} key`);
    }
    expect(wrong).toEqual([]);
    expect(rows.length).toBe(API_OPERATIONS.length);

    // The ledger names who wrote: the token's client, on each write path the matrix took (a batch's
    // movement reaches the movements table through the stream, which this suite does not run).
    const ledger = await call('query-api', { method: 'GET', path: `/inventory/store/${OWN_STORE}/movements` }, env.authorization);
    const actors = (ledger.body['movements'] as Array<{ sku: string; actor: string }>)
      .filter(({ sku }) => sku === 'SKU-1001' || sku === 'SKU-1002')
      .map(({ sku, actor }) => [sku, actor]);
    expect(actors).toEqual([
      ['SKU-1001', `token:${clientId('stock-clerk', OWN_STORE)}`],
      ['SKU-1002', `token:${clientId('till', OWN_STORE)}`],
    ]);
    expect(batchAnswer).toMatchObject({ results: [{ item: { movement: { actor: `token:${clientId('stock-clerk', OWN_STORE)}` } } }] });
  });

  it('when a key is revoked on one write-api, then every pod refuses it within 5 s, and a rotated signing key is accepted without a restart', async () => {
    const key = await issueKey('operator', [OWN_STORE]);
    const pods = [urlOf('query-api'), urlOf('write-api'), (secondWriteApi['write-api'] as RunningApps[string]).url];
    // Each pod has the key in its cache, so a refusal can only come from the revocation feed.
    for (const base of pods) expect((await podRead(base, `Bearer ${key.secret}`)).status).toBe(200);
    const revokedAt = Date.now();
    expect((await asAdmin({ method: 'DELETE', path: `/admin/api-keys/${key.key_id}` })).status).toBe(204);
    const refusedAfter = await Promise.all(pods.map(async (base) => (await untilRefused(base, `Bearer ${key.secret}`)) - revokedAt));
    expect(Math.max(...refusedAfter)).toBeLessThanOrEqual(5_000);

    const oldToken = await tokenOf('operator', OWN_STORE);
    await provider.rotateKeys();
    const newToken = `Bearer ${await provider.token(clientId('operator', OWN_STORE))}`;
    expect(newToken).not.toBe(oldToken);
    for (const base of pods) {
      expect((await podRead(base, newToken)).status).toBe(200);
      expect((await podRead(base, oldToken)).status).toBe(200);
    }
  });

  /** A guarded read any operator may make, on whichever app `base` is. */
  function podRead(base: string, credential: string): Promise<Answer> {
    const app = base === urlOf('query-api') ? 'query-api' : 'write-api';
    const path = app === 'query-api' ? `/inventory/store/${OWN_STORE}/sku/SKU-1001` : '/admin/storms/data';
    return call(app, { method: 'GET', path }, credential, base);
  }

  /** When (epoch ms) the pod at `base` first refused the credential; fails after 10 s. */
  async function untilRefused(base: string, credential: string): Promise<number> {
    for (const giveUp = Date.now() + 10_000; Date.now() < giveUp; await new Promise((resolve) => setTimeout(resolve, 50))) {
      if ((await podRead(base, credential)).status === 401) return Date.now();
    }
    throw new Error(`${base} still accepts the revoked key after 10 s`);
  }
});

/** Every item of a table, in a stable order, without `last_used_at` (a key's use is recorded even when refused its route). */
async function scanAll(client: DynamoDBClient, table: string): Promise<string[]> {
  const items: string[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey }));
    for (const item of page.Items ?? []) {
      const { last_used_at: _lastUsed, ...rest } = item;
      items.push(JSON.stringify(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b))));
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items.sort();
}
