import { randomBytes, randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AnswerTooLargeToRecordError } from '@inventory/domain/model';
import { createDynamoDbClient, deleteTables } from '@inventory/shared/dynamodb';
import { type LocalDynamoDb, startLocalDynamoDb } from '@inventory/shared/local-services';
import { ensureMovementTable, movementTableName } from '@inventory/stock/movements';
import { ANSWER_PART_BYTES, IdempotencyRecords, idempotencyRecordPut } from './idempotency-records';

/** Answers of every size kept for replay, on DynamoDB Local (its 400 KB item limit included). */
describe('idempotency records: every answer can be replayed', () => {
  let dynamo: LocalDynamoDb;
  let client: DynamoDBClient;
  let records: IdempotencyRecords;
  const table = `idem-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    dynamo = await startLocalDynamoDb(0, '127.0.0.1');
    client = createDynamoDbClient({ region: 'us-east-1', endpoint: dynamo.url });
    await ensureMovementTable(client, table);
    records = new IdempotencyRecords(client, table);
  });

  afterAll(async () => {
    await deleteTables(client, [movementTableName(table)]);
    client.destroy();
    await dynamo.stop();
  });

  /** About `bytes` of JSON rows of random text: gzip keeps about three quarters, worse than any real answer. */
  const answerOf = (bytes: number) =>
    JSON.stringify({ results: Array.from({ length: Math.ceil(bytes / 130) }, () => ({ id: randomBytes(90).toString('base64') })) });

  it.each([
    ['short (kept as is)', 200],
    ['long (gzipped in the record)', 200_000],
    ['beyond one item even gzipped (kept in parts)', 1_500_000],
  ])('when an answer is %s, then the record replays it byte for byte', async (_kind, bytes) => {
    const record = { key: randomUUID(), requestHash: 'h', answer: answerOf(bytes) };
    await records.recordAnswer(record);
    expect(await records.read(record.key)).toEqual(record);
  });

  it("when a write's own transaction would carry an answer too large for one item, then it is refused before anything is sent", () => {
    const record = { key: randomUUID(), requestHash: 'h', answer: answerOf(ANSWER_PART_BYTES * 2) };
    expect(() => idempotencyRecordPut(table, record, 0)).toThrow(AnswerTooLargeToRecordError);
  });
});
