import type { RedisConnection } from './redis-connection';

export interface LuaCommand {
  numberOfKeys: number;
  lua: string;
}

/**
 * Registers Lua scripts as commands on a connection (ioredis sends them by SHA, loading them once
 * per node) and answers the connection typed as `T`, the commands' call signatures.
 */
export function defineLuaCommands<T>(redis: RedisConnection, commands: Record<keyof T & string, LuaCommand>): T {
  for (const [name, command] of Object.entries<LuaCommand>(commands)) redis.defineCommand(name, command);
  return redis as unknown as T;
}
