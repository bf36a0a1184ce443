import { runInventoryService } from '@inventory/service/bootstrap';
import { composeWriteApi } from './compose-write-api';

runInventoryService('write-api', composeWriteApi);
