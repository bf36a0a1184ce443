export {
  type RedisConnection,
  type RedisConnectionOptions,
  createRedisConnection,
  waitUntilReady,
  closeConnection,
} from './lib/redis-connection';
export { scanKeys, deleteKeysWithPrefix } from './lib/key-maintenance';
export { defineLuaCommands } from './lib/lua-commands';
export { assertNoEviction, EvictionPolicyError, evictionPolicies, REQUIRED_EVICTION_POLICY } from './lib/eviction-policy';
