import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { composeStockEventProcessor } from '@inventory/events/stock-events';
import { createWebhookQueue } from '@inventory/events/webhooks';
import { createServiceMetrics } from '@inventory/service/bootstrap';
import { createLogger } from '@inventory/shared/observability';
import { EventDeadLetters } from '@inventory/stock/movements';
import { runDataTool, wholeNumberOption } from './data-tool';

/**
 * `npm run data:events-dead-letters [-- --limit 100] [--replay]`: the stream records the events
 * consumer gave up on (libs/events/README.md#poison-records), oldest first, each with its shard,
 * sequence number, error and the record itself; exit 2 when there are any. With --replay, once the
 * cause is fixed: each record handed to the events consumer's processor again (every effect is
 * idempotent) and its letter removed when that succeeds; those failing again are kept and listed
 * with their new error (exit 2).
 */
/** A letter's record as the stream gave it: its JSON turned the creation time into a string. */
function recordOf(text: string): _Record {
  const record = JSON.parse(text) as _Record;
  const created: unknown = record.dynamodb?.ApproximateCreationDateTime;
  if (record.dynamodb && typeof created === 'string') record.dynamodb.ApproximateCreationDateTime = new Date(created);
  return record;
}

void runDataTool('events-dead-letters', { limit: { type: 'string' }, replay: { type: 'boolean' } }, async (args, backends, config) => {
  const deadLetters = new EventDeadLetters(backends.dynamodb, config.DYNAMODB_TABLE, backends.dynamodbTimeoutMs);
  const letters = await deadLetters.list(wholeNumberOption('limit', args.limit, 100));
  process.stderr.write(`${letters.length} dead-lettered stream record(s)\n`);
  if (!args.replay) return { report: { dead_letters: letters }, exitCode: letters.length > 0 ? 2 : 0 };

  const logger = createLogger({ app: 'events-replay', level: 'warn' });
  const queue = createWebhookQueue(backends.redis, config.RESTOCK_QUEUE_PREFIX, config.WEBHOOK_BACKOFF_MS);
  const { processor } = composeStockEventProcessor({
    backends,
    config,
    queue,
    queueConnection: backends.redis,
    logger,
    metrics: createServiceMetrics(config, 'events-replay', logger),
  });
  const replayed: string[] = [];
  const failed: Array<(typeof letters)[number]> = [];
  try {
    for (const letter of letters) {
      try {
        await processor.handle([recordOf(letter.record)]);
        await deadLetters.delete(letter);
        replayed.push(letter.sequence_number);
      } catch (error) {
        failed.push({ ...letter, error: error instanceof Error ? error.message : String(error) });
      }
    }
  } finally {
    await queue.close();
  }
  process.stderr.write(`${replayed.length} replayed, ${failed.length} failed again\n`);
  return { report: { replayed, failed }, exitCode: failed.length > 0 ? 2 : 0 };
});
