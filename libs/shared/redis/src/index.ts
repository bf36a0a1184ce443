export * from './lib/redis-connection';
export * from './lib/key-maintenance';
export * from './lib/lua-commands';
