import { enablePointInTimeRecovery, ensureInventoryTable } from '@inventory/stock/inventory-table';
import { runDataTool } from './data-tool';

/**
 * `npm run data:create-table [-- --pitr]`: the inventory table, on-demand billing; with point-in-time
 * recovery when asked or when APP_ENV=prod (the production settings).
 */
void runDataTool('create-table', { pitr: { type: 'boolean' } }, async (args, backends, config) => {
  await ensureInventoryTable(backends.dynamodb, config.DYNAMODB_TABLE);
  const pointInTimeRecovery = args.pitr ?? config.APP_ENV === 'prod';
  if (pointInTimeRecovery) {
    await enablePointInTimeRecovery(backends.dynamodb, config.DYNAMODB_TABLE).catch((error: unknown) => {
      throw new Error(`point-in-time recovery could not be enabled on ${config.DYNAMODB_TABLE}`, { cause: error });
    });
  }
  return { report: { table: config.DYNAMODB_TABLE, billing: 'PAY_PER_REQUEST', point_in_time_recovery: pointInTimeRecovery } };
});
