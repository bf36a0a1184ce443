import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { LocalStackOptions } from './local-stack';

/** A stack for one test file: every port free, its own Redis (with an ACL user, as MemoryDB), its key and queue prefixes under `name`. */
export function privateStackOptions(
  name: string,
  options: Pick<LocalStackOptions, 'adminKey' | 'seed' | 'logLevel' | 'log'>,
): LocalStackOptions {
  const id = randomUUID().slice(0, 8);
  return {
    gatewayPort: 0,
    appPorts: { 'query-api': 0, 'write-api': 0, 'restock-worker': 0, 'events-consumer': 0 },
    dynamoPort: 0,
    redisKeyPrefix: `${name}-${id}`,
    restockQueuePrefix: `{${name}-${id}}`,
    workspaceRoot: join(__dirname, '..', '..'),
    // Tests share two cores with the rest of the run: production's few-second DynamoDB deadline
    // would fail healthy calls there (as the test environment does, libs/service/testing).
    appEnv: { DYNAMODB_TIMEOUT_MS: '15000' },
    ...options,
  };
}
