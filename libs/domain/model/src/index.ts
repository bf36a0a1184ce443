export {
  AppError,
  ValidationError,
  excerpt,
  MalformedJsonError,
  MalformedPathError,
  MalformedBodyError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  MethodNotAllowedError,
  ConflictError,
  IdempotencyKeyReusedError,
  IdempotencyKeyInUseError,
  PayloadTooLargeError,
  AnswerTooLargeToRecordError,
  UnsupportedMediaTypeError,
  ServiceUnavailableError,
  DependencyUnavailableError,
  TooManyRequestsError,
  SinceVersionExpiredError,
  BatchRejectedError,
} from './lib/app-error';
export { storeIdSchema, skuSchema } from './lib/identifiers';
export { type InventoryItem, type StoredInventoryItem, type ItemVersion, MAX_QUANTITY, rfc3339 } from './lib/inventory-item';
export { parseInput } from './lib/parse-input';
export {
  updateInventoryCommandSchema,
  type UpdateInventoryCommand,
  adjustInventoryCommandSchema,
  type AdjustInventoryCommand,
} from './lib/update-inventory.command';
export { storeIdOf, skuOf, baselineQuantity, type SkuRecord, skuRecordContent } from './lib/catalog';
export {
  type MovementReason,
  type MovementSource,
  type StockMovement,
  type MovementKind,
  type StockWriteAnswer,
  LEDGER_REASONS,
} from './lib/stock-movement';
export {
  type PromiseState,
  type PromiseAround,
  type PromiseFields,
  NO_PROMISES,
  promiseFields,
  PROMISE_ITEM_LIMITS,
  RESERVATION_EXPIRY_SECONDS,
  createReservationSchema,
  type CreateReservationCommand,
  commitReservationSchema,
  type CommitReservationCommand,
  extendReservationSchema,
  safetyStockCommandSchema,
  createTransferSchema,
  type CreateTransferCommand,
  receiveTransferSchema,
  promiseIdSchema,
  RESERVATION_STATES,
  type ReservationState,
  type PromisedItem,
  type Reservation,
  TRANSFER_STATES,
  type TransferState,
  type Transfer,
  unitsWithin,
  InsufficientAvailableError,
  ReservationExpiredError,
  ReservationNotHeldError,
  TransferNotInTransitError,
} from './lib/promises';
export { type SkuState, type StockChange, applyChange } from './lib/stock-change';
export { ANONYMOUS_ACTOR, writeHeadersSchema } from './lib/write-headers';
export { skuMovementsQuerySchema, storeMovementsQuerySchema } from './lib/movement-query';
export { storeChangesQuerySchema, storeReadQuerySchema, skuAcrossStoresQuerySchema } from './lib/store-read-query';
export { MAX_STORM_SECONDS, stormRequestSchema, type StormRequest } from './lib/storm-request.schema';
export {
  inventoryItemAnswer,
  versionedItemAnswer,
  storeItemAnswer,
  versionedStoreItemAnswer,
  reservationAnswer,
  transferAnswer,
  safetyStockAnswer,
  stockWriteAnswer,
  movementPageAnswer,
  storeDeltaAnswer,
  stockMovementAnswer,
  skuAcrossStoresAnswer,
  batchWriteAnswer,
  lowStockThresholdAnswer,
  webhookAnswer,
  webhookListAnswer,
  apiKeyAnswer,
  apiKeyCreatedAnswer,
  apiKeyListAnswer,
  deadLettersAnswer,
  errorAnswer,
  healthAnswer,
  stormStartedAnswer,
  stormStatusAnswer,
  stormPageAnswer,
} from './lib/api-answers.schema';
export { refusedCursor, encodeCursor, decodeCursor } from './lib/opaque-cursor';
export { type DeadLetter, type StockEventType, type ThresholdCrossing, type StockEvent, type PromiseEventType } from './lib/stock-event';
export { lowStockThresholdCommandSchema } from './lib/low-stock-threshold.command';
export { webhookRegistrationSchema, type WebhookRegistration, type WebhookView } from './lib/webhook-registration.command';
export { BATCH_ROW_LIMITS, batchWriteCommandSchema, type BatchWriteCommand, type BatchRow } from './lib/batch-write.command';
export { fnv1a32 } from './lib/stable-hash';
export {
  PERMISSIONS,
  type Permission,
  ROLES,
  type Role,
  ROLE_PERMISSIONS,
  ALL_STORES,
  type StoreScope,
  type Principal,
  principalOf,
  ANONYMOUS_READER,
  mayAccessStore,
  foreignStores,
  actorOf,
} from './lib/access';
export { apiKeyRequestSchema, type ApiKeyCommand } from './lib/api-key.command';
