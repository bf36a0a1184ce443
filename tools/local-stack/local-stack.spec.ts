import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { configSchema } from '@inventory/shared/config';
import { openStockTables } from '@inventory/stock/inventory-table';
import { seededLedger } from '@inventory/stock/maintenance/testing';
import { ledgerProblemsIn } from '@inventory/stock/movements/testing';
import { type LocalStack, startLocalStack } from './local-stack';

/** The stack runs with the platform's default table name. */
const STACK_TABLE = configSchema.shape.DYNAMODB_TABLE.parse(undefined);
import { privateStackOptions } from './local-stack.testing';

const ADMIN_KEY = 'local-stack-spec-admin-key-0123456789abcdef';

// `npm start`, and `REDIS_CLUSTER=true npm start` (a 3-master Redis Cluster, the apps in cluster mode as on MemoryDB).
describe.each([
  ['a redis-server with an ACL user', false],
  ['a Redis Cluster', true],
])('local stack on %s (built apps as processes, behind the ingress stand-in)', (_redis, redisCluster) => {
  let stack: LocalStack;
  const logs: string[] = [];

  beforeAll(async () => {
    stack = await startLocalStack({
      ...privateStackOptions('e2e', {
        adminKey: ADMIN_KEY,
        seed: { stores: 3, skusPerStore: 20 },
        logLevel: 'debug',
        log: (line) => logs.push(line),
      }),
      redisCluster,
    });
  }, 90_000);

  it('when the README curl examples run with the credentials the stack prints, then health, update and read-your-write all work', async () => {
    const health = await fetch(`${stack.gatewayUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'healthy', service: 'inventory-service' });
    const till = { authorization: `Bearer ${stack.tillKey}` };

    const before = (await (await fetch(`${stack.gatewayUrl}/inventory/store/store-1`, { headers: till })).json()) as { sku: string }[];
    expect(before).toHaveLength(20);

    const update = await fetch(`${stack.gatewayUrl}/inventory/update`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
      body: JSON.stringify({ store_id: 'store-1', sku: 'SKU-1001', quantity: 150 }),
    });
    expect(update.status).toBe(200);
    const sale = await fetch(`${stack.gatewayUrl}/inventory/adjust`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...till },
      body: JSON.stringify({ store_id: 'store-1', sku: 'SKU-1001', delta: -1, reason: 'sale' }),
    });
    expect(sale.status).toBe(200);

    const after = (await (await fetch(`${stack.gatewayUrl}/inventory/store/store-1`, { headers: till })).json()) as {
      sku: string;
      quantity: number;
    }[];
    expect(after.find((item) => item.sku === 'SKU-1001')?.quantity).toBe(149);
  });

  it("when a caller has no credential, another store's key, or a token from the stack's OpenID provider, then 401, 403 and 200", async () => {
    expect((await fetch(`${stack.gatewayUrl}/inventory/store/store-1`)).status).toBe(401);
    expect(
      (await fetch(`${stack.gatewayUrl}/inventory/store/store-2`, { headers: { authorization: `Bearer ${stack.tillKey}` } })).status,
    ).toBe(403);
    const token = await stack.oidc.token('reader-client');
    expect((await fetch(`${stack.gatewayUrl}/inventory/store/store-2`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(
      200,
    );
  });

  it('when /ready or /metrics is asked through the ingress in any spelling, then 404; each app answers them on its management port only', async () => {
    for (const path of ['/ready', '/ready/', '/READY', '/metrics', '/metrics/', '/METRICS'])
      expect({ path, status: (await fetch(`${stack.gatewayUrl}${path}`)).status }).toEqual({ path, status: 404 });
    for (const [app, url] of Object.entries(stack.managementUrls)) {
      expect({ app, ready: (await fetch(`${url}/ready`)).status }).toEqual({ app, ready: 200 });
      expect({ app, metrics: (await fetch(`${url}/metrics`)).status }).toEqual({ app, metrics: 200 });
    }
  });

  it('when an operator starts a small storm through the ingress, then the worker app completes it', async () => {
    const headers = { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' };
    const started = await fetch(`${stack.gatewayUrl}/stress/restock`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ duration_seconds: 60, target_cpu: 100, stores: 3, skus_per_store: 20, change_ratio: 0.5 }),
    });
    expect(started.status).toBe(202);
    const { status_url } = (await started.json()) as { status_url: string };
    let state = 'running';
    for (let i = 0; i < 100 && state === 'running'; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = ((await (await fetch(`${stack.gatewayUrl}${status_url}`, { headers })).json()) as { state: string }).state;
    }
    expect(state).toBe('completed');
    // The stack's table, read directly: every seeded SKU chains from its seeded quantity (the README
    // example's update of SKU-1001, then the storm) to what it holds.
    const tables = openStockTables({ region: 'us-east-1', endpoint: stack.dynamoUrl, timeoutMs: 15_000 }, STACK_TABLE);
    try {
      expect(await ledgerProblemsIn(tables, seededLedger(3, 20))).toEqual([]);
    } finally {
      tables.dynamodb.destroy();
    }
  });

  it('when an operator registers a webhook through the ingress, then a sale reaches the receiver as a signed event', async () => {
    const received: Array<{ type: string; sku: string; signature: string | undefined }> = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const event = JSON.parse(body) as { type: string; sku: string };
        received.push({ type: event.type, sku: event.sku, signature: req.headers['x-inventory-signature'] as string | undefined });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const headers = { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' };
    const registered = await fetch(`${stack.gatewayUrl}/admin/webhooks`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`,
        events: ['stock.movement'],
        secret: 'local-stack-secret-1',
      }),
    });
    expect(registered.status).toBe(201);
    // The consumer reads the registered webhooks every 2 s: sell until an event of this sale arrives.
    for (let i = 0; i < 100 && !received.some((event) => event.sku === 'SKU-1002'); i += 1) {
      if (i % 25 === 0) {
        const sale = await fetch(`${stack.gatewayUrl}/inventory/adjust`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
          body: JSON.stringify({ store_id: 'store-2', sku: 'SKU-1002', delta: -1, reason: 'sale' }),
        });
        expect(sale.status).toBe(200);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    receiver.close();
    expect(received.find((event) => event.sku === 'SKU-1002')).toMatchObject({
      type: 'stock.movement',
      signature: expect.stringMatching(/^sha256=/),
    });
  });

  it('when the stack stops, then every app drains and exits 0, logging JSON lines with request ids', async () => {
    const codes = await stack.stop();
    expect(codes).toEqual({ 'query-api': 0, 'write-api': 0, 'restock-worker': 0, 'events-consumer': 0 });
    const access = logs
      .filter((line) => line.startsWith('[write-api] {'))
      .map((line) => JSON.parse(line.slice('[write-api] '.length)))
      .find((entry) => entry.msg === 'request completed');
    expect(access).toMatchObject({ service: 'inventory-service', app: 'write-api', request_id: expect.any(String) });
  });
});
