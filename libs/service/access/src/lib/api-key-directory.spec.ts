import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoDbClient, deleteTables } from '@inventory/shared/dynamodb';
import { type LocalDynamoDb, startLocalDynamoDb, startLocalRedis } from '@inventory/shared/local-services';
import { createLogger } from '@inventory/shared/observability';
import { closeConnection, createRedisConnection, type RedisConnection, waitUntilReady } from '@inventory/shared/redis';
import { ensureMovementTable, movementTableName } from '@inventory/stock/movements';
import { ApiKeyDirectory } from './api-key-directory';
import { ApiKeyRepository } from './api-key.repository';

/** The repository, counting its reads: what a request costs in DynamoDB calls. */
class CountingRepository extends ApiKeyRepository {
  reads = 0;
  override async get(keyId: string) {
    this.reads += 1;
    return super.get(keyId);
  }
}

const until = async (what: string, check: () => Promise<boolean>, timeoutMs: number) => {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - started;
};

describe('API keys across pods (DynamoDB Local, real Redis)', () => {
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  let redis: RedisConnection;
  const table = `keys-${randomUUID().slice(0, 8)}`;
  const feedKey = `${table}:api-keys:revoked`;
  const logger = createLogger({ app: 'test', level: 'silent' });
  const directories: ApiKeyDirectory[] = [];
  const pod = (repository = new CountingRepository(client, table), connection = redis, options: { untrustedAfterMs?: number } = {}) => {
    const directory = new ApiKeyDirectory({ repository, redis: connection, feedKey, logger, ...options });
    directory.start();
    directories.push(directory);
    return { directory, repository };
  };

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb(0, '127.0.0.1');
    client = createDynamoDbClient({ region: 'us-east-1', endpoint: dynamo.url });
    await ensureMovementTable(client, table);
    redis = createRedisConnection({ redisUrl: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', role: 'command' });
    await waitUntilReady(redis);
  });

  afterAll(async () => {
    for (const directory of directories) await directory.stop();
    await redis.del(feedKey);
    await closeConnection(redis);
    await deleteTables(client, [movementTableName(table)]);
    client.destroy();
    await dynamo.stop();
  });

  it('when a key is used again and again, then its pod reads DynamoDB once, and the key is stored only as a hash', async () => {
    const { key, secret } = await new ApiKeyRepository(client, table).create({ name: 'till-7', role: 'till', stores: ['s1'] });
    const { directory, repository } = pod();
    for (let i = 0; i < 50; i += 1)
      expect(await directory.find(key.key_id)).toMatchObject({ name: 'till-7', role: 'till', stores: ['s1'] });
    expect(repository.reads).toBe(1);
    const stored = await repository.get(key.key_id);
    // The random part: everything after `invk_<key id>_` (it may itself hold underscores).
    const randomPart = secret.slice(`invk_${key.key_id}_`.length);
    expect(randomPart).toHaveLength(43);
    expect(JSON.stringify(stored)).not.toContain(randomPart);
    expect(stored?.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('when one pod revokes a key, then another pod that had it cached refuses it within 5 s', async () => {
    const { key } = await new ApiKeyRepository(client, table).create({ name: 'till-8', role: 'till', stores: ['s1'] });
    const other = pod();
    expect(await other.directory.find(key.key_id)).toBeDefined();
    const revoker = pod();
    const revokedAt = Date.now();
    expect(await revoker.directory.revoke(key.key_id)).toMatchObject({ revoked_at: expect.any(String) });
    const tookMs = await until('the other pod refusing the key', async () => (await other.directory.find(key.key_id)) === undefined, 5_000);
    expect(Date.now() - revokedAt).toBeLessThan(5_000);
    expect(tookMs).toBeLessThan(5_000);
  });

  it('when the revocation feed cannot be read (Redis down), then a revoked key is still refused within 5 s, read again from DynamoDB', async () => {
    const ownRedis = await startLocalRedis();
    const connection = createRedisConnection({ redisUrl: ownRedis.url, role: 'command' });
    await waitUntilReady(connection);
    const { key } = await new ApiKeyRepository(client, table).create({ name: 'till-9', role: 'till', stores: ['s1'] });
    const blind = pod(new CountingRepository(client, table), connection);
    expect(await blind.directory.find(key.key_id)).toBeDefined();
    await ownRedis.stop();
    // Revoked by a pod whose Redis works: the feed this pod cannot read carries it.
    await pod().directory.revoke(key.key_id);
    await until('the blind pod refusing the key', async () => (await blind.directory.find(key.key_id)) === undefined, 5_000);
    expect(blind.repository.reads).toBeGreaterThan(1);
    await closeConnection(connection).catch(() => undefined);
  });

  it('when a key is rotated, then old and new both work until the old is revoked', async () => {
    const repository = new ApiKeyRepository(client, table);
    const { key: old } = await repository.create({ name: 'scanner-2', role: 'stock-clerk', stores: '*' });
    const { key: fresh } = await repository.create({ name: 'scanner-2', role: 'stock-clerk', stores: '*', rotated_from: old.key_id });
    const { directory } = pod();
    expect(await directory.find(old.key_id)).toBeDefined();
    expect(await directory.find(fresh.key_id)).toMatchObject({ rotated_from: old.key_id, stores: '*' });
    await directory.revoke(old.key_id);
    expect(await directory.find(old.key_id)).toBeUndefined();
    expect(await directory.find(fresh.key_id)).toBeDefined();
  });

  it('when a key is used, then its last use is recorded; when unknown ids are tried, then each is read once and refused', async () => {
    const repository = new ApiKeyRepository(client, table);
    const { key } = await repository.create({ name: 'dock-1', role: 'stock-clerk', stores: ['s2'] });
    const { directory, repository: counted } = pod();
    await directory.find(key.key_id);
    await until('last_used_at recorded', async () => (await repository.get(key.key_id))?.last_used_at !== null, 5_000);
    const unknown = 'abcdefabcdefabcd';
    expect(await directory.find(unknown)).toBeUndefined();
    expect(await directory.find(unknown)).toBeUndefined();
    expect(counted.reads).toBe(2);
  });
});
