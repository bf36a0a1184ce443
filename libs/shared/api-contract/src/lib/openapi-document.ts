import { z } from 'zod';
import { API_OPERATIONS, type ApiOperation } from './api-routes';

export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function parameters(operation: ApiOperation) {
  const of = (where: 'path' | 'query' | 'header', schema: z.ZodType | undefined) => {
    if (!schema) return [];
    const object = jsonSchemaOf(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
    return Object.entries(object.properties ?? {}).map(([name, property]) => ({
      name,
      in: where,
      required: where === 'path' || (object.required ?? []).includes(name),
      schema: property,
    }));
  };
  return [...of('path', operation.pathParams), ...of('query', operation.query), ...of('header', operation.headers)];
}

/** The platform's one OpenAPI 3.1 document (libs/shared/api-contract/README.md), generated from the schemas the apps validate and answer with. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of API_OPERATIONS) {
    const responses = Object.fromEntries(
      Object.entries(operation.answers).map(([status, answer]) => [
        status,
        {
          description: answer.description,
          ...(answer.contentType
            ? { content: { [answer.contentType]: {} } }
            : answer.schema
              ? { content: { 'application/json': { schema: jsonSchemaOf(answer.schema, 'output') } } }
              : {}),
        },
      ]),
    );
    (paths[operation.path] ??= {})[operation.method] = {
      operationId: `${operation.method} ${operation.path}`,
      summary: operation.summary,
      'x-app': operation.app,
      ...(operation.operator ? { security: [{ operator: [] }] } : {}),
      parameters: parameters(operation),
      ...(operation.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(operation.body, 'input') } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Inventory Platform',
      version: '1.0.0',
      description: 'Real-time stock levels: query-api reads, write-api writes.',
    },
    paths,
    components: {
      securitySchemes: {
        operator: { type: 'http', scheme: 'bearer', description: 'OPERATOR_TOKEN (Basic with it as password also works)' },
      },
    },
  };
}
