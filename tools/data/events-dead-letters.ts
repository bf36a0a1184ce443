import { EventDeadLetters } from '@inventory/stock/movements';
import { runDataTool, wholeNumberOption } from './data-tool';

/**
 * `npm run data:events-dead-letters [-- --limit 100]`: the stream records the events consumer gave
 * up on (libs/events/README.md#poison-records), oldest first, each with its shard, sequence number,
 * error and the record itself; exit 2 when there are any.
 */
void runDataTool('events-dead-letters', { limit: { type: 'string' } }, async (args, backends, config) => {
  const letters = await new EventDeadLetters(backends.dynamodb, config.DYNAMODB_TABLE).list(wholeNumberOption('limit', args.limit, 100));
  process.stderr.write(`${letters.length} dead-lettered stream record(s)\n`);
  return { report: { dead_letters: letters }, exitCode: letters.length > 0 ? 2 : 0 };
});
