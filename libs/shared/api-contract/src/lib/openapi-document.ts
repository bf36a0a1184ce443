import { z } from 'zod';
import { errorAnswer } from '@inventory/domain/model';
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

/** What every guarded route may answer (apps/README.md#access-control); nothing is written by either. */
const ACCESS_REFUSALS: ApiOperation['answers'] = {
  '401': {
    description: 'no credential, or one not accepted (`WWW-Authenticate: Bearer` with the RFC 6750 error); nothing written',
    schema: errorAnswer,
  },
  '403': {
    description: 'the principal lacks the permission (`error.permission`) or a store (`error.stores`); nothing written',
    schema: errorAnswer,
  },
  '429': { description: 'too many requests, or too many wrong credentials from this source (`Retry-After`)', schema: errorAnswer },
};

/** The platform's one OpenAPI 3.1 document (libs/shared/api-contract/README.md), generated from the schemas the apps validate and answer with. */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of API_OPERATIONS) {
    const responses = Object.fromEntries(
      Object.entries({ ...operation.answers, ...(operation.access.permission === 'public' ? {} : ACCESS_REFUSALS) }).map(
        ([status, answer]) => [
          status,
          {
            description: answer.description,
            ...(answer.contentType
              ? { content: { [answer.contentType]: {} } }
              : answer.schema
                ? { content: { 'application/json': { schema: jsonSchemaOf(answer.schema, 'output') } } }
                : {}),
          },
        ],
      ),
    );
    (paths[operation.path] ??= {})[operation.method] = {
      operationId: `${operation.method} ${operation.path}`,
      summary: operation.summary,
      'x-app': operation.app,
      security: operation.access.permission === 'public' ? [] : [{ apiKey: [] }, { bearer: [] }],
      'x-permission': operation.access.permission,
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
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'an API key issued by POST /admin/api-keys (`invk_…`); Basic with the key as password also works, for browsers',
        },
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            "an OAuth2 access token from the platform's OpenID provider (client credentials); role from its `inventory/<role>` scope",
        },
      },
    },
  };
}
