export { configSchema, type Config } from './lib/config.schema';
export { loadConfig } from './lib/load-config';
