export * from './lib/serve-locally';
export * from './lib/local-dynamodb';
export * from './lib/local-redis';
export * from './lib/local-redis-cluster';
export * from './lib/local-cloudwatch';
export * from './lib/dynamodb-fault-proxy';
export * from './lib/stop-process';
