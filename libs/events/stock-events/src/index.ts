export { StockEventProcessor } from './lib/stock-event.processor';
export { startEventsConsumer } from './lib/events-consumer';
export { createDynamoDbStreamsClient } from './lib/dynamodb-streams-client';
export { composeStockEventProcessor } from './lib/stock-event-processor.compose';
