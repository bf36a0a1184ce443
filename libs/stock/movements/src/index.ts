export { type GapMovement, type GapWindow, MovementHistoryRepository, type MovementPage } from './lib/movement-history.repository';
export { ensureMovementTable, movementTableName, MOVEMENT_ATTR } from './lib/movement-table';
export { movementItem, type RecordedChange } from './lib/movement-item';
export { batchNoticePut } from './lib/batch-change-notice';
export { stormChunksFrom } from './lib/storm-movement-chunk';
export { PromiseRecords, promiseRecordWrite } from './lib/promise-records';
export { PromiseDocuments } from './lib/promise-documents';
export { EventDeadLetters } from './lib/event-dead-letters';
export { type RetentionGap, RetentionGaps } from './lib/retention-gaps';
