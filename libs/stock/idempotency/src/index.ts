export { Idempotency, hashOfRequest, type Applied, type IdempotencyClaim } from './lib/idempotent';
export { IdempotencyRecords, idempotencyRecordPut, IdempotencyKeyTakenError, type IdempotencyRecord } from './lib/idempotency-records';
export { InFlightKeys } from './lib/in-flight-keys';
