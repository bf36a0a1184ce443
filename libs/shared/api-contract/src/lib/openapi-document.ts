import { z } from 'zod';
import { errorAnswer } from '@inventory/domain/model';
import { API_OPERATIONS, type ApiOperation } from './api-routes';
import './named-schemas';

const COMPONENT_REF = '#/components/schemas/';

/**
 * JSON Schemas of the document: each zod schema converted for the direction it is used in, the
 * named ones (named-schemas.ts) gathered into `components.schemas` and referenced there.
 */
class DocumentSchemas {
  readonly named: Record<string, unknown> = {};

  of(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
    // The document states its dialect once; what a schema names goes to `components`.
    const rest = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
    const $defs = rest['$defs'] as Record<string, unknown> | undefined;
    delete rest['$schema'];
    delete rest['$defs'];
    for (const [id, definition] of Object.entries($defs ?? {})) {
      const json = referenced(definition);
      const known = this.named[id];
      if (known !== undefined && JSON.stringify(known) !== JSON.stringify(json))
        throw new Error(`the schema named ${id} reads differently in two uses`);
      this.named[id] = json;
    }
    return referenced(rest) as Record<string, unknown>;
  }
}

/** zod refers to what it names under `$defs`; the document keeps them in `components`. */
function referenced(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', `"${COMPONENT_REF}`));
}

function parameters(operation: ApiOperation, schemas: DocumentSchemas) {
  const of = (where: 'path' | 'query' | 'header', schema: z.ZodType | undefined) => {
    if (!schema) return [];
    const object = schemas.of(schema, 'input') as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
    return Object.entries(object.properties ?? {}).map(([name, property]) => {
      // A query string's whole number is described as the integer it is read as, not as its text's pattern.
      if (property['type'] === 'integer') delete property['pattern'];
      return { name, in: where, required: where === 'path' || (object.required ?? []).includes(name), schema: property };
    });
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

/** The document's tags, in the order a reader meets them, and which routes each holds. */
const TAGS: Array<{ name: string; description: string; holds: (operation: ApiOperation) => boolean }> = [
  {
    name: 'stock',
    description: 'Stock levels: read a store or a SKU, set and adjust quantities',
    holds: (op) => op.path.startsWith('/inventory/'),
  },
  { name: 'movements', description: 'The ledger: every change of every SKU, 35 days', holds: (op) => op.path.endsWith('/movements') },
  {
    name: 'promises',
    description: 'Reservations, transfers and safety stock: what `available` keeps back',
    holds: (op) => /reservations|transfers|safety-stock/.test(op.path),
  },
  {
    name: 'events',
    description: 'Low-stock thresholds and webhooks: signed deliveries of stock events',
    holds: (op) => /webhooks|threshold/.test(op.path),
  },
  {
    name: 'storms',
    description: 'The Restock Storm and its operator pages',
    holds: (op) => op.path.startsWith('/stress/') || /\/admin\/(storms|queues)/.test(op.path),
  },
  { name: 'access', description: 'API keys for tills, scanners and scripts', holds: (op) => op.path.startsWith('/admin/api-keys') },
  { name: 'service', description: 'Liveness, this document and its reference page', holds: () => true },
];

/** An operation's tag: the first (most specific of the list's order read backwards) that holds it. */
function tagOf(operation: ApiOperation): string {
  const specific = TAGS.slice(1, -1).find((tag) => tag.holds(operation));
  return (specific ?? TAGS.find((tag) => tag.holds(operation)))?.name ?? 'service';
}

/** The platform's one OpenAPI 3.1 document (libs/shared/api-contract/README.md), generated from the schemas the apps validate and answer with. */
export function openApiDocument(): Record<string, unknown> {
  const schemas = new DocumentSchemas();
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
                ? { content: { 'application/json': { schema: schemas.of(answer.schema, 'output') } } }
                : {}),
          },
        ],
      ),
    );
    (paths[operation.path] ??= {})[operation.method] = {
      operationId: operation.operationId,
      summary: operation.summary,
      tags: [tagOf(operation)],
      'x-app': operation.app,
      security: operation.access.permission === 'public' ? [] : [{ apiKey: [] }, { bearer: [] }],
      'x-permission': operation.access.permission,
      parameters: parameters(operation, schemas),
      ...(operation.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: schemas.of(operation.body, 'input') } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Inventory Platform',
      version: '1.0.0',
      description: 'Real-time stock levels: query-api reads, write-api writes. The HTTP contract in prose: apps/README.md.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    // Relative: the Ingress the document was read from (`npm start`: http://localhost:8080).
    servers: [{ url: '/', description: 'the Ingress this document was read from' }],
    tags: TAGS.map(({ name, description }) => ({ name, description })),
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(schemas.named).sort(([a], [b]) => a.localeCompare(b))),
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
