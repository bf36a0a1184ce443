export { openApiDocument } from './lib/openapi-document';
export { API_OPERATIONS, type ApiOperation, type AccessRule } from './lib/api-routes';
