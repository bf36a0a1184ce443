import { z } from 'zod';
import {
  adjustInventoryCommandSchema,
  apiKeyCreatedAnswer,
  apiKeyListAnswer,
  apiKeyRequestSchema,
  batchWriteAnswer,
  batchWriteCommandSchema,
  commitReservationSchema,
  createReservationSchema,
  createTransferSchema,
  deadLettersAnswer,
  errorAnswer,
  extendReservationSchema,
  healthAnswer,
  lowStockThresholdAnswer,
  lowStockThresholdCommandSchema,
  movementPageAnswer,
  receiveTransferSchema,
  reservationAnswer,
  safetyStockAnswer,
  safetyStockCommandSchema,
  skuAcrossStoresAnswer,
  stockMovementAnswer,
  stockWriteAnswer,
  storeDeltaAnswer,
  storeItemAnswer,
  stormRequestSchema,
  stormStartedAnswer,
  stormStatusAnswer,
  transferAnswer,
  updateInventoryCommandSchema,
  versionedStoreItemAnswer,
  webhookAnswer,
  webhookListAnswer,
  webhookRegistrationSchema,
} from '@inventory/domain/model';

const AT = '2026-12-03T10:15:02.117Z';

const STOCK_MOVEMENT_EXAMPLE = {
  movement_id: '6b0f3c4e-1d2a-4c5b-9e8f-0a1b2c3d4e5f',
  store_id: 'store-1',
  sku: 'SKU-1001',
  delta: -2,
  quantity_before: 6,
  quantity_after: 4,
  version: 42,
  reason: 'sale',
  source: 'api',
  reference: 'till-7/receipt-9912',
  actor: 'key:till-7',
  on_behalf_of: null,
  idempotency_key: 'c0ffee00-0000-4000-8000-000000000001',
  request_id: 'req-3f1c',
  at: AT,
};

/**
 * The schemas the document names (`components.schemas`, referenced by `$ref`), so that generated
 * clients get a type per concept rather than the same shape inlined at every use; examples on the
 * main ones. Answers are named as they are sent, requests as they are taken: each schema is used in
 * one direction only (the document refuses a name whose two uses differ).
 */
const NAMED: Array<[z.ZodType, { id: string; description?: string; examples?: unknown[] }]> = [
  [
    storeItemAnswer,
    {
      id: 'StoreItem',
      description: 'One SKU of a store, as the original service answered it, with what is promised of it',
      examples: [
        {
          store_id: 'store-1',
          sku: 'SKU-1001',
          quantity: 4,
          updated_at: AT,
          reserved: 1,
          available: 3,
          incoming: 0,
          safety_stock: 0,
          promised_at_risk: 0,
        },
      ],
    },
  ],
  [versionedStoreItemAnswer, { id: 'VersionedStoreItem', description: 'A store item with its version (what a conditional write names)' }],
  [
    stockMovementAnswer,
    { id: 'StockMovement', description: 'One change of one SKU, as the ledger keeps it', examples: [STOCK_MOVEMENT_EXAMPLE] },
  ],
  [stockWriteAnswer, { id: 'StockWrite', description: 'The stored item after a write, with its version and movement' }],
  [movementPageAnswer, { id: 'MovementPage', description: 'A page of movements; `next_cursor` asks for the next' }],
  [storeDeltaAnswer, { id: 'StoreDelta', description: "What changed in a store after a version, and the store's version now" }],
  [skuAcrossStoresAnswer, { id: 'SkuAcrossStores' }],
  [reservationAnswer, { id: 'Reservation' }],
  [transferAnswer, { id: 'Transfer' }],
  [safetyStockAnswer, { id: 'SafetyStock' }],
  [batchWriteAnswer, { id: 'BatchWriteResult' }],
  [lowStockThresholdAnswer, { id: 'LowStockThreshold' }],
  [webhookAnswer, { id: 'Webhook' }],
  [webhookListAnswer, { id: 'WebhookList' }],
  [deadLettersAnswer, { id: 'DeadLetterList' }],
  [apiKeyCreatedAnswer, { id: 'ApiKeyCreated' }],
  [apiKeyListAnswer, { id: 'ApiKeyList' }],
  [healthAnswer, { id: 'Health' }],
  [stormStartedAnswer, { id: 'StormStarted' }],
  [stormStatusAnswer, { id: 'StormStatus' }],
  [
    errorAnswer,
    {
      id: 'Error',
      description: 'Every 4xx and 5xx: a code to branch on, a message, and what it concerns',
      examples: [
        {
          error: {
            code: 'VALIDATION_FAILED',
            message: 'delta: must be a whole number',
            details: [{ field: 'delta', problem: 'must be a whole number' }],
          },
          request_id: 'req-3f1c',
        },
      ],
    },
  ],
  [
    updateInventoryCommandSchema,
    { id: 'UpdateStockRequest', examples: [{ store_id: 'store-1', sku: 'SKU-1001', quantity: 12, reason: 'correction' }] },
  ],
  [
    adjustInventoryCommandSchema,
    {
      id: 'AdjustStockRequest',
      examples: [{ store_id: 'store-1', sku: 'SKU-1001', delta: -2, reason: 'sale', reference: 'till-7/receipt-9912' }],
    },
  ],
  [batchWriteCommandSchema, { id: 'StockBatchRequest' }],
  [lowStockThresholdCommandSchema, { id: 'LowStockThresholdRequest' }],
  [safetyStockCommandSchema, { id: 'SafetyStockRequest' }],
  [createReservationSchema, { id: 'CreateReservationRequest' }],
  [commitReservationSchema, { id: 'CommitReservationRequest' }],
  [extendReservationSchema, { id: 'ExtendReservationRequest' }],
  [createTransferSchema, { id: 'CreateTransferRequest' }],
  [receiveTransferSchema, { id: 'ReceiveTransferRequest' }],
  [webhookRegistrationSchema, { id: 'WebhookRegistration' }],
  [apiKeyRequestSchema, { id: 'ApiKeyRequest' }],
  [stormRequestSchema, { id: 'StormRequest' }],
];

// zod's JSON Schema output names what its global registry holds an `id` for.
for (const [schema, meta] of NAMED) if (!z.globalRegistry.has(schema)) z.globalRegistry.add(schema, meta);
