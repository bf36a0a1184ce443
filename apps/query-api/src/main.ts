import { runInventoryService } from '@inventory/service/bootstrap';
import { composeQueryApi } from './compose-query-api';

runInventoryService('query-api', composeQueryApi);
