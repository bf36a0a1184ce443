/**
 * A store's read version names its cached answers, in Redis and in every query-api process, so a
 * number must never name two different contents. A counter alone would: a Redis restarted empty
 * (or a new cluster) would count from 0 again while processes still hold answers under the old
 * numbers. So a version key that does not exist yet starts at Redis's clock in microseconds, and
 * every change adds 1: a new run's numbers start above any the old run reached, unless a store took
 * more than one change per microsecond in between. The counter is a Lua function for the scripts
 * that bump it (`bumpReadVersion(key)`) or read it (`readVersion(key, ttl)`): both create a missing key.
 * A version a read starts lives `ttl` seconds (the read cache's lifetime), so reads of stores that
 * never change (unknown ones, a scan of junk ids) leave nothing lasting; the first change makes it
 * lasting. Letting it lapse is safe for the reason a restart is: it starts again above the old.
 */
export const READ_VERSION_LUA = `
local function startReadVersion(key, ttl)
  local now = redis.call('TIME')
  local start = now[1] .. string.format('%06d', tonumber(now[2]))
  if ttl then redis.call('SET', key, start, 'NX', 'EX', ttl) else redis.call('SET', key, start, 'NX') end
end
local function readVersion(key, ttl)
  local version = redis.call('GET', key)
  if version then return version end
  startReadVersion(key, ttl)
  return redis.call('GET', key)
end
local function bumpReadVersion(key)
  if redis.call('EXISTS', key) == 0 then startReadVersion(key) else redis.call('PERSIST', key) end
  return redis.call('INCR', key)
end
`;

/**
 * `readVersion` as a script of its own: KEYS[1] the version key, ARGV[1] the lifetime of a version
 * a read starts; answers it as a string (doubles would round).
 */
export const READ_VERSION_SCRIPT = `${READ_VERSION_LUA}\nreturn readVersion(KEYS[1], ARGV[1])`;
