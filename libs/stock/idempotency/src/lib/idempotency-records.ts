import { gunzipSync, gzipSync } from 'node:zlib';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type PutItemCommandInput,
  QueryCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { AnswerTooLargeToRecordError } from '@inventory/domain/model';
import { DEFAULT_DYNAMODB_TIMEOUT_MS, withDeadline } from '@inventory/shared/dynamodb';
import { MOVEMENT_ATTR, movementTableName } from '@inventory/stock/movements';

/** How long a key's record answers repeats; TTL deletes it some time after. */
export const IDEMPOTENCY_RETENTION_SECONDS = 24 * 3600;
/** A record's key in the movements table: a partition of its own, the record and any parts of its answer. */
const recordKey = (key: string, sortKey = 'record') => ({ [MOVEMENT_ATTR.pk]: { S: `idem#${key}` }, [MOVEMENT_ATTR.sk]: { S: sortKey } });
const PART_PREFIX = 'part#';

/** Answers longer than this are kept gzipped: a 1,000-row batch's answer is ~600 KB of JSON. */
const COMPRESS_FROM_BYTES = 4 * 1024;
/** Compressed answer bytes one item holds, well under DynamoDB's 400 KB item limit. */
export const ANSWER_PART_BYTES = 300 * 1024;

/** The answer as stored: plain JSON when short, gzipped when long. */
function encodeAnswer(answer: string): { attributes: Record<string, AttributeValue>; gzip?: Buffer } {
  if (Buffer.byteLength(answer) < COMPRESS_FROM_BYTES) return { attributes: { answer: { S: answer } } };
  const gzip = gzipSync(answer);
  return { attributes: { answer_gz: { B: gzip } }, gzip };
}

/** The answer a keyed request gave, kept with the key for 24 h so a repeat gets it again. */
export interface IdempotencyRecord {
  key: string;
  /** SHA-256 of the route and the validated request: the same key with another request is refused. */
  requestHash: string;
  /** The answer's JSON, as sent. */
  answer: string;
}

/** Another request has already recorded this idempotency key. */
export class IdempotencyKeyTakenError extends Error {
  constructor() {
    super('idempotency key already recorded');
    this.name = 'IdempotencyKeyTakenError';
  }
}

/**
 * The put of a key's record, refused while an unexpired record holds the key: an action of the
 * write's own transaction, so a change is never without its key nor a key without its change.
 */
export function idempotencyRecordPut(inventoryTable: string, record: IdempotencyRecord, epochSeconds: number): TransactWriteItem {
  const { attributes, gzip } = encodeAnswer(record.answer);
  if (gzip && gzip.length > ANSWER_PART_BYTES) throw new AnswerTooLargeToRecordError();
  return recordPut(inventoryTable, record, epochSeconds, attributes);
}

function recordPut(
  inventoryTable: string,
  record: Omit<IdempotencyRecord, 'answer'>,
  epochSeconds: number,
  answer: Record<string, AttributeValue>,
): TransactWriteItem {
  return {
    Put: {
      TableName: movementTableName(inventoryTable),
      Item: {
        ...recordKey(record.key),
        request_hash: { S: record.requestHash },
        ...answer,
        [MOVEMENT_ATTR.expiresAt]: { N: String(epochSeconds + IDEMPOTENCY_RETENTION_SECONDS) },
      },
      // An expired record TTL has not deleted yet is free to take again.
      ConditionExpression: 'attribute_not_exists(#pk) OR #expires <= :now',
      ExpressionAttributeNames: { '#pk': MOVEMENT_ATTR.pk, '#expires': MOVEMENT_ATTR.expiresAt },
      ExpressionAttributeValues: { ':now': { N: String(epochSeconds) } },
    },
  };
}

/** The idempotency records, in the movements table beside the movements they answered for. */
export class IdempotencyRecords {
  private readonly timeoutMs: number;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly inventoryTable: string,
    options: { timeoutMs?: number } = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_DYNAMODB_TIMEOUT_MS;
  }

  /** The record of a key, unless there is none or it has expired (TTL deletes late). Strongly consistent. */
  async read(key: string, now = new Date()): Promise<IdempotencyRecord | undefined> {
    const result = await withDeadline(this.timeoutMs, (abortSignal) =>
      this.client.send(
        new GetItemCommand({ TableName: movementTableName(this.inventoryTable), Key: recordKey(key), ConsistentRead: true }),
        { abortSignal },
      ),
    );
    const item = result.Item;
    if (!item || Number(item[MOVEMENT_ATTR.expiresAt]?.N ?? 0) <= now.getTime() / 1000) return undefined;
    const parts = Number(item['answer_parts']?.N ?? 0);
    const gzip = parts > 0 ? await this.readParts(key, parts) : item['answer_gz']?.B;
    const answer = gzip ? gunzipSync(gzip).toString() : (item['answer']?.S ?? '');
    return { key, requestHash: item['request_hash']?.S ?? '', answer };
  }

  /** The gzipped answer a record keeps in parts, joined in order. */
  private async readParts(key: string, parts: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await withDeadline(this.timeoutMs, (abortSignal) =>
        this.client.send(
          new QueryCommand({
            TableName: movementTableName(this.inventoryTable),
            KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :part)',
            ExpressionAttributeNames: { '#pk': MOVEMENT_ATTR.pk, '#sk': MOVEMENT_ATTR.sk },
            ExpressionAttributeValues: { ':pk': { S: `idem#${key}` }, ':part': { S: PART_PREFIX } },
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
          { abortSignal },
        ),
      );
      for (const part of page.Items ?? []) chunks.push(Buffer.from(part['chunk']?.B ?? new Uint8Array()));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    if (chunks.length !== parts) throw new Error(`idempotency record ${key}: ${chunks.length} of ${parts} answer parts found`);
    return Buffer.concat(chunks);
  }

  /** Records a keyed request's answer on its own (a batch's, once every row is decided); IdempotencyKeyTakenError if held. */
  async recordAnswer(record: IdempotencyRecord, at = new Date()): Promise<void> {
    const epochSeconds = Math.floor(at.getTime() / 1000);
    const { gzip, attributes: whole } = encodeAnswer(record.answer);
    let attributes = whole;
    if (gzip && gzip.length > ANSWER_PART_BYTES) {
      // Rows already applied one by one: their answer must be kept whatever its size. Parts first,
      // then the record that names them; a crash between leaves parts nobody reads, gone with the TTL.
      const parts = Math.ceil(gzip.length / ANSWER_PART_BYTES);
      for (let i = 0; i < parts; i += 1) {
        const chunk = gzip.subarray(i * ANSWER_PART_BYTES, (i + 1) * ANSWER_PART_BYTES);
        await withDeadline(this.timeoutMs, (abortSignal) =>
          this.client.send(
            new PutItemCommand({
              TableName: movementTableName(this.inventoryTable),
              Item: {
                ...recordKey(record.key, `${PART_PREFIX}${String(i).padStart(4, '0')}`),
                chunk: { B: chunk },
                [MOVEMENT_ATTR.expiresAt]: { N: String(epochSeconds + IDEMPOTENCY_RETENTION_SECONDS) },
              },
            }),
            { abortSignal },
          ),
        );
      }
      attributes = { answer_parts: { N: String(parts) } };
    }
    const { Put } = recordPut(this.inventoryTable, record, epochSeconds, attributes);
    try {
      await withDeadline(this.timeoutMs, (abortSignal) =>
        this.client.send(new PutItemCommand(Put as PutItemCommandInput), { abortSignal }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new IdempotencyKeyTakenError();
      throw error;
    }
  }
}
