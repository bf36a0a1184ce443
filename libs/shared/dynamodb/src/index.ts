export { createDynamoDbClient, DEFAULT_DYNAMODB_TIMEOUT_MS, type DynamoDbClientOptions } from './lib/dynamodb-client';
export { withDeadline } from './lib/dynamodb-unavailable';
export { ensureTable, deleteTables } from './lib/ensure-table';
export { batchGetItems } from './lib/batch-get';
