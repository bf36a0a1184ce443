import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { startLocalStack } from './local-stack';

/** `npm start`: the platform on this machine until Ctrl-C. */
async function main() {
  // LOCAL_ADMIN_KEY, when set, is the admin key (scripts need not parse this output); else one made for this run.
  const adminKey = process.env['LOCAL_ADMIN_KEY'] ?? `local-admin-${randomBytes(24).toString('base64url')}`;
  if (!/^[!-~]{32,256}$/.test(adminKey)) throw new Error('LOCAL_ADMIN_KEY must be 32-256 visible ASCII characters');
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const stack = await startLocalStack({
    gatewayPort: 8080,
    appPorts: { 'query-api': 8081, 'write-api': 8082, 'restock-worker': 8083, 'events-consumer': 8084 },
    dynamoPort: 8000,
    redisUrl: process.env['REDIS_URL'],
    redisCluster: process.env['REDIS_CLUSTER'] === 'true',
    redisKeyPrefix: process.env['REDIS_KEY_PREFIX'] ?? 'inv',
    restockQueuePrefix: process.env['RESTOCK_QUEUE_PREFIX'] ?? '{restock}',
    adminKey,
    seed: { stores: Number(process.env['SEED_STORES'] ?? 10), skusPerStore: Number(process.env['SEED_SKUS'] ?? 100) },
    workspaceRoot: join(__dirname, '..', '..'),
    logLevel: process.env['LOG_LEVEL'] ?? 'info',
    log,
  });
  log(`
Inventory Platform is up.
  ingress      ${stack.gatewayUrl}  (reads -> query-api, writes/storm/dashboard -> write-api)
  query-api    ${stack.appUrls['query-api']}
  write-api    ${stack.appUrls['write-api']}
  restock      ${stack.appUrls['restock-worker']}
  DynamoDB     ${stack.dynamoUrl}  (DynamoDB Local, in memory)
  Redis        ${stack.redisUrl}${process.env['REDIS_CLUSTER'] === 'true' ? '  (a 3-master cluster, as MemoryDB)' : ''}
  OpenID       ${stack.oidc.issuer}  (client credentials: <role>-client / <role>-client-secret-local)

Credentials (every route needs one; apps/README.md#access-control):
  till key for store-1   ${stack.tillKey}
  admin key (all stores) ${adminKey}
Try:
  export TILL_KEY=${stack.tillKey} ADMIN_KEY=${adminKey}
  curl -H "Authorization: Bearer $TILL_KEY" ${stack.gatewayUrl}/inventory/store/store-1
  curl -X POST ${stack.gatewayUrl}/inventory/adjust -H "Authorization: Bearer $TILL_KEY" -H "Content-Type: application/json" \\
    -d '{"store_id":"store-1","sku":"SKU-1001","delta":-1,"reason":"sale"}'
A small Restock Storm:
  curl -X POST ${stack.gatewayUrl}/stress/restock -H "Authorization: Bearer $ADMIN_KEY" \\
    -H "Content-Type: application/json" -d '{"duration_seconds": 60, "target_cpu": 50, "stores": 10, "skus_per_store": 100}'
  then the status_url it answers, or the dashboard ${stack.gatewayUrl}/admin/queues (any user, the admin key as password)
Ctrl-C stops everything.`);

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    log('stopping...');
    const codes = await stack.stop();
    log(`stopped (exit codes: ${JSON.stringify(codes)})`);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  process.stderr.write(`local stack failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
