/**
 * Test support of the API contract, kept out of the lib's main entry point (no validator ships):
 * holds an answer to the OpenAPI document.
 */
import Ajv2020 from 'ajv/dist/2020';
import { openApiDocument } from './lib/openapi-document';

interface DocumentOperation {
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
const document = openApiDocument() as { paths: Record<string, Record<string, DocumentOperation>>; components: object };

/** The document's path template a concrete path matches (`/inventory/store/s1` → `/inventory/store/{storeId}`). */
export function documentedPath(path: string): string | undefined {
  const segments = path.split('?')[0]?.split('/') ?? [];
  return Object.keys(document.paths).find((template) => {
    const parts = template.split('/');
    return parts.length === segments.length && parts.every((part, i) => part.startsWith('{') || part === segments[i]);
  });
}

/**
 * What is wrong with an answer by the document: a route it does not list, a status the operation
 * does not give, a body its schema refuses. Empty when the answer is as documented.
 */
export function contractProblems(answer: {
  method: string;
  path: string;
  status: number;
  contentType?: string | null;
  body?: unknown;
}): string[] {
  const template = documentedPath(answer.path);
  const operation = template ? document.paths[template]?.[answer.method.toLowerCase()] : undefined;
  if (!template || !operation) return [`${answer.method} ${answer.path} is not in the document`];
  const response = operation.responses[String(answer.status)];
  if (!response) return [`${answer.method} ${template} answered ${answer.status}, which the document does not list`];
  const schema = response.content?.['application/json']?.schema;
  if (!schema) return [];
  if (!answer.contentType?.startsWith('application/json'))
    return [`${answer.method} ${template} ${answer.status} answered ${answer.contentType}, not JSON`];
  // The named schemas it refers to (`#/components/schemas/…`) travel with it.
  const validate = ajv.compile({ ...schema, components: document.components });
  return validate(answer.body)
    ? []
    : (validate.errors ?? []).map(
        (error) => `${answer.method} ${template} ${answer.status}: ${error.instancePath || 'body'} ${error.message}`,
      );
}

const template = (expressPath: string) => expressPath.replace(/:([A-Za-z]+)/g, '{$1}');

/** Routes an app serves that the document lacks (HEAD rides on GET). */
export function undocumentedRoutes(routes: Array<{ method: string; path: string }>): string[] {
  return routes
    .filter(({ method }) => method !== 'head')
    .filter(({ method, path }) => !document.paths[template(path)]?.[method])
    .map(({ method, path }) => `${method.toUpperCase()} ${path}`);
}

/** The document's operations served by `app`, as `GET /path/{param}`. */
export function operationsOf(app: string): string[] {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations)
      .filter(([, operation]) => (operation as { 'x-app'?: string })['x-app'] === app)
      .map(([method]) => `${method.toUpperCase()} ${path}`),
  );
}
