import { createHash } from 'node:crypto';
import { IdempotencyKeyInUseError, IdempotencyKeyReusedError } from '@inventory/domain/model';
import { type IdempotencyRecord, IdempotencyKeyTakenError, type IdempotencyRecords } from './idempotency-records';
import { InFlightKeys } from './in-flight-keys';

/** What a keyed apply must record with its change: the key and the hash of its request. */
export type IdempotencyClaim = Omit<IdempotencyRecord, 'answer'>;

export interface Applied<Answer> {
  answer: Answer;
  /** True when an earlier request with the same key made the change and this one only repeats its answer. */
  replayed: boolean;
}

/** The SHA-256 of a route and its validated request: what a key's record is checked against. */
export function hashOfRequest(route: string, request: unknown): string {
  return createHash('sha256')
    .update(`${route}\n${JSON.stringify(request)}`)
    .digest('hex');
}

/** A repeat of a recorded request gets the first answer; the same key with another request, 422. */
export function replay<Answer>(record: IdempotencyRecord, requestHash: string): Applied<Answer> & { replayed: true } {
  if (record.requestHash !== requestHash) throw new IdempotencyKeyReusedError();
  return { answer: JSON.parse(record.answer) as Answer, replayed: true };
}

/**
 * Idempotency keys, the one way every keyed write goes (apps/README.md#idempotency-keys): while
 * the key is applied it is marked in flight (a repeat meanwhile: 409); a recorded key replays its
 * answer (another request under it: 422); otherwise `apply` runs with the claim it must put in its
 * own transaction, conditional on the key being free. If another pod recorded the key between the
 * look and the write, `apply` fails with IdempotencyKeyTakenError and the recorded answer is
 * replayed, so a key applies once even with the in-flight marks lost.
 */
export class Idempotency {
  private readonly now: () => Date;

  constructor(
    readonly records: IdempotencyRecords,
    private readonly inFlight: InFlightKeys = new InFlightKeys(undefined),
    now?: () => Date,
  ) {
    this.now = now ?? (() => new Date());
  }

  /** `apply` once per key: unkeyed (`key` undefined) it simply runs. */
  async idempotent<Answer>(
    key: string | undefined,
    requestHash: string,
    apply: (claim: IdempotencyClaim | undefined) => Promise<Answer>,
  ): Promise<Applied<Answer>> {
    if (key === undefined) return { answer: await apply(undefined), replayed: false };
    const release = await this.inFlight.acquire(key);
    try {
      const recorded = await this.records.read(key, this.now());
      if (recorded) return replay<Answer>(recorded, requestHash);
      try {
        return { answer: await apply({ key, requestHash }), replayed: false };
      } catch (error) {
        if (!(error instanceof IdempotencyKeyTakenError)) throw error;
        // Another pod applied it between our look and our write (its in-flight mark was lost).
        const taken = await this.records.read(key, this.now());
        if (!taken) throw new IdempotencyKeyInUseError();
        return replay<Answer>(taken, requestHash);
      }
    } finally {
      await release();
    }
  }

  /** Records an answer decided outside one transaction (a row-by-row batch's, once every row is decided). */
  async recordAnswer(claim: IdempotencyClaim, answer: unknown): Promise<void> {
    await this.records.recordAnswer({ ...claim, answer: JSON.stringify(answer) }, this.now());
  }
}
