import { runInventoryService } from '@inventory/service/bootstrap';
import { eventsRole } from './events.role';
import { restockRole } from './restock.role';

// One image, two roles (SPEC §11): each its own Deployment, chosen by WORKER_ROLE.
runInventoryService(
  (config) => (config.WORKER_ROLE === 'events' ? 'events-consumer' : 'restock-worker'),
  (context) => (context.config.WORKER_ROLE === 'events' ? eventsRole(context) : restockRole(context)),
);
