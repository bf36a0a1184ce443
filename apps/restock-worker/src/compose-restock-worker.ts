import type { Config } from '@inventory/shared/config';
import type { ServiceContext, ServiceParts } from '@inventory/service/bootstrap';
import { composeEventsRole } from './events.role';
import { composeRestockRole } from './restock.role';

/** The name a worker process runs under: its role's Deployment. */
export const workerName = (config: Config) => (config.WORKER_ROLE === 'events' ? 'events-consumer' : 'restock-worker');

/**
 * restock-worker's composition root: one image, two roles, each its own Deployment, chosen by
 * WORKER_ROLE (apps/README.md#one-image-two-roles). main.ts runs it; so do the worker's specs.
 */
export function composeRestockWorker(context: ServiceContext): ServiceParts {
  return context.config.WORKER_ROLE === 'events' ? composeEventsRole(context) : composeRestockRole(context);
}
