export { type LocalService } from './lib/serve-locally';
export { type LocalDynamoDb, startLocalDynamoDb } from './lib/local-dynamodb';
export { freePort, isListening, startLocalRedis, startLocalRedisWithAcl } from './lib/local-redis';
export { type LocalRedisCluster, startLocalRedisCluster } from './lib/local-redis-cluster';
export { type LocalCloudWatch, startLocalCloudWatch } from './lib/local-cloudwatch';
export { type DynamoDbFaultProxy, startDynamoDbFaultProxy } from './lib/dynamodb-fault-proxy';
export { stopProcess } from './lib/stop-process';
export { type LocalOidcProvider, type OidcClient, startLocalOidcProvider } from './lib/local-oidc-provider';
export { forgedTokens } from './lib/forged-tokens';
