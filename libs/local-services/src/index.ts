export * from './lib/local-dynamodb';
export * from './lib/local-redis';
