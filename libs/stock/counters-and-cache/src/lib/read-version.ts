/**
 * A store's read version names its cached answers, in Redis and in every query-api process, so a
 * number must never name two different contents. A counter alone would: a Redis restarted empty
 * (or a new cluster) would count from 0 again while processes still hold answers under the old
 * numbers. So a version key that does not exist yet starts at Redis's clock in microseconds, and
 * every change adds 1: a new run's numbers start above any the old run reached, unless a store took
 * more than one change per microsecond in between. The counter is a Lua function for the scripts
 * that bump it (`bumpReadVersion(key)`) or read it (`readVersion(key)`): both create a missing key.
 */
export const READ_VERSION_LUA = `
local function startReadVersion(key)
  local now = redis.call('TIME')
  local start = now[1] .. string.format('%06d', tonumber(now[2]))
  redis.call('SET', key, start, 'NX')
end
local function readVersion(key)
  local version = redis.call('GET', key)
  if version then return version end
  startReadVersion(key)
  return redis.call('GET', key)
end
local function bumpReadVersion(key)
  if redis.call('EXISTS', key) == 0 then startReadVersion(key) end
  return redis.call('INCR', key)
end
`;

/** `readVersion` as a script of its own: KEYS[1] the version key; answers it as a string (doubles would round). */
export const READ_VERSION_SCRIPT = `${READ_VERSION_LUA}\nreturn readVersion(KEYS[1])`;
