export * from './lib/stream-checkpoints';
export * from './lib/table-stream.reader';
export * from './lib/stream-change';
export * from './lib/stock-event.processor';
export * from './lib/stream-lease';
export * from './lib/events-consumer';
export * from './lib/dynamodb-streams-client';
