import createClient, { type Client } from 'openapi-fetch';
import type { components, operations, paths } from './generated/inventory-api';

export type { components, operations, paths };

/** The named schemas of the API document, as a caller receives or sends them. */
export type StoreItem = components['schemas']['StoreItem'];
export type StockMovement = components['schemas']['StockMovement'];
export type StockWrite = components['schemas']['StockWrite'];
export type ApiError = components['schemas']['Error'];

export type InventoryClient = Client<paths>;

export interface InventoryClientOptions {
  /** Where the Ingress (or one app) answers, e.g. `http://localhost:8080`. */
  baseUrl: string;
  /** An API key (`invk_…`) or an access token: sent as `Authorization: Bearer`. */
  credential?: string;
  /** Sent with every request (e.g. an `Idempotency-Key` is per call: give it in the call's `params.header`). */
  headers?: Record<string, string>;
}

/**
 * A typed client of the platform's HTTP API, generated from its OpenAPI document
 * (libs/client/README.md): one method per HTTP verb, each route's path, parameters, body and
 * answers typed from the document (openapi-fetch over the types openapi-typescript wrote).
 */
export function createInventoryClient({ baseUrl, credential, headers = {} }: InventoryClientOptions): InventoryClient {
  return createClient<paths>({
    baseUrl,
    headers: { ...(credential === undefined ? {} : { authorization: `Bearer ${credential}` }), ...headers },
  });
}
