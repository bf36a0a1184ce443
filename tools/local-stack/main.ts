import { join } from 'node:path';
import { startLocalStack } from './local-stack';

/** `npm start`: the platform on this machine until Ctrl-C. */
async function main() {
  const operatorToken = process.env['OPERATOR_TOKEN'] ?? 'local-operator-token';
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const stack = await startLocalStack({
    gatewayPort: 8080,
    appPorts: { 'query-api': 8081, 'write-api': 8082, 'restock-worker': 8083, 'events-consumer': 8084 },
    dynamoPort: 8000,
    redisUrl: process.env['REDIS_URL'],
    redisKeyPrefix: process.env['REDIS_KEY_PREFIX'] ?? 'inv',
    restockQueuePrefix: process.env['RESTOCK_QUEUE_PREFIX'] ?? '{restock}',
    operatorToken,
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
  Redis        ${stack.redisUrl}
Try: curl ${stack.gatewayUrl}/inventory/store/store-1
A small Restock Storm (operator token: ${operatorToken}):
  curl -X POST ${stack.gatewayUrl}/stress/restock -H "Authorization: Bearer ${operatorToken}" \\
    -H "Content-Type: application/json" -d '{"duration_seconds": 60, "target_cpu": 50, "stores": 10, "skus_per_store": 100}'
  then the status_url it answers, or the dashboard ${stack.gatewayUrl}/admin/queues (any user, the token as password)
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
