import { READ_VERSION_LUA } from './read-version';

/**
 * The store's change log (`logChanges(log, floor, version, skus, limit)`): each SKU changed at the
 * new read `version` is scored with it, so the log holds each SKU once, at its last change. Past
 * `limit` SKUs the oldest are dropped and the floor rises to the newest version dropped: the log
 * then answers only for versions at or after the floor. A log started now (a new Redis, a first
 * change) covers only what comes after the version before this one.
 */
export const CHANGE_LOG_LUA = `
local function logChanges(log, floor, version, skus, limit)
  if redis.call('EXISTS', floor) == 0 then redis.call('SET', floor, string.format('%.0f', tonumber(version) - 1)) end
  for _, sku in ipairs(skus) do redis.call('ZADD', log, version, sku) end
  local excess = redis.call('ZCARD', log) - limit
  if excess > 0 then
    local dropped = redis.call('ZPOPMIN', log, excess)
    local highest = dropped[#dropped]
    if tonumber(highest) > tonumber(redis.call('GET', floor)) then redis.call('SET', floor, string.format('%.0f', tonumber(highest))) end
  end
end
`;

/**
 * A delta read, atomic with the writes' scripts: KEYS the store's version, change log and floor;
 * ARGV[1] the caller's version, ARGV[2] the lifetime of a version a read starts. Answers `{version, 'ok', sku…}` (the SKUs changed after it) or
 * `{version, 'expired'}` when the log cannot tell (older than the floor, newer than the store, no log).
 */
export const CHANGES_SINCE_SCRIPT = `${READ_VERSION_LUA}
local version = readVersion(KEYS[1], ARGV[2])
local since = tonumber(ARGV[1])
if since == tonumber(version) then return {version, 'ok'} end
local floor = redis.call('GET', KEYS[3])
if not floor or since < tonumber(floor) or since > tonumber(version) then return {version, 'expired'} end
local reply = {version, 'ok'}
for _, sku in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '(' .. ARGV[1], '+inf')) do table.insert(reply, sku) end
return reply
`;
