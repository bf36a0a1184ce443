export { openApiDocument } from './lib/openapi-document';
export { API_OPERATIONS, type ApiOperation } from './lib/api-routes';
