import type { ServiceParts } from '@inventory/service/bootstrap';
import { type InventoryTestEnvironment, serveForTest, type ServedForTest, testServiceContext } from '@inventory/service/testing';
import { composeQueryApi } from './compose-query-api';

/** query-api as main.ts composes it, on a free port over the test environment. */
export async function startQueryApi(env: InventoryTestEnvironment): Promise<ServedForTest & { parts: ServiceParts }> {
  const context = testServiceContext(env);
  const parts = composeQueryApi(context);
  return { ...(await serveForTest(context, parts)), parts };
}
