import type { RestockQueue } from '@inventory/restock/queue';
import { type InventoryTestEnvironment, serveForTest, type ServedForTest, testServiceContext } from '@inventory/service/testing';
import { deleteKeysWithPrefix } from '@inventory/shared/redis';
import type { InventoryUpdater } from '@inventory/stock/store-update';
import type { WebhookQueue } from '@inventory/events/webhooks';
import { composeWriteApi, type WriteApiParts } from './compose-write-api';

export interface TestWriteApi extends ServedForTest {
  queue: RestockQueue;
  webhookQueue: WebhookQueue;
  updater: InventoryUpdater;
  /** The BullMQ prefix its queues (and storm records) live under. */
  queuePrefix: string;
  /** What the composition root built, for the wiring spec. */
  parts: WriteApiParts;
}

/**
 * write-api as main.ts composes it, on a free port over the test environment; its queues under a
 * prefix of the environment's own (their keys removed on stop). `ownMetrics` gives it a metrics registry of its own, closed on
 * stop: for a second pod, or a restarted one, in the same test process.
 */
export async function startTestWriteApi(env: InventoryTestEnvironment, options: { ownMetrics?: boolean } = {}): Promise<TestWriteApi> {
  const prefix = `{restock-${env.config.REDIS_KEY_PREFIX}}`;
  const context = testServiceContext(env, { RESTOCK_QUEUE_PREFIX: prefix }, options);
  const parts = composeWriteApi(context);
  const served = await serveForTest(context, parts, options);
  return {
    ...served,
    queue: parts.queue,
    webhookQueue: parts.webhookQueue,
    updater: parts.updater,
    queuePrefix: prefix,
    parts,
    stop: async () => {
      await served.stop();
      if (env.backends.redis.status === 'ready') await deleteKeysWithPrefix(env.backends.redis, prefix);
    },
  };
}
