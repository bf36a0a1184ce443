import { runInventoryService } from '@inventory/service/bootstrap';
import { composeRestockWorker, workerName } from './compose-restock-worker';

runInventoryService(workerName, composeRestockWorker);
