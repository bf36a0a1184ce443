const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Paces one store's writes to `unitsPerSecond` write units. A store's items share one partition
 * key, and one DynamoDB partition takes about 1,000 WCU a second: a storm writing a 5,000-SKU store
 * as fast as it can would be throttled there (and throttle the tills' writes to the same store).
 * Each write waits until the units before it have had their time: writes are spaced evenly, never
 * bunched at the start of a second as a fixed-window counter (such as rate-limiter-flexible's)
 * lets them be — and a partition's limit is what bunching trips.
 */
export class StoreWritePacer {
  private nextFreeAt = 0;

  constructor(
    private readonly unitsPerSecond: number,
    private readonly now: () => number = () => performance.now(),
    private readonly wait: (ms: number) => Promise<unknown> = sleep,
  ) {}

  /** Resolves when `units` may be written: at once if the store is under its rate, else when it will be. */
  async take(units: number): Promise<void> {
    const now = this.now();
    const startAt = Math.max(now, this.nextFreeAt);
    this.nextFreeAt = startAt + (units / this.unitsPerSecond) * 1_000;
    if (startAt > now) await this.wait(startAt - now);
  }
}
