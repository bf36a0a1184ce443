import { StoreWritePacer } from './store-write-pacer';

describe('StoreWritePacer', () => {
  /** A clock that only moves when the pacer waits: the times it lets writes go are exact. */
  function pacedAt(unitsPerSecond: number, batches: number[]) {
    let clock = 1_000;
    const pacer = new StoreWritePacer(
      unitsPerSecond,
      () => clock,
      async (ms) => (clock += ms),
    );
    return (async () => {
      const times: number[] = [];
      for (const units of batches) {
        await pacer.take(units);
        times.push(clock);
      }
      return times;
    })();
  }

  it('when batches come faster than the rate, then each goes when the units before it have had their time', async () => {
    expect(await pacedAt(100, [25, 25, 25, 50, 25])).toEqual([1_000, 1_250, 1_500, 1_750, 2_250]);
  });

  it('when 2,000 units go at 400 a second, then they take 5 s less the last batch: the rate is exact, not bunched', async () => {
    const times = await pacedAt(
      400,
      Array.from({ length: 80 }, () => 25),
    );
    const span = (times[times.length - 1] ?? 0) - (times[0] ?? 0);
    expect(span).toBeCloseTo(((2_000 - 25) / 400) * 1_000, 6);
  });

  it('when writes come slower than the rate, then none waits', async () => {
    let clock = 0;
    let waited = 0;
    const pacer = new StoreWritePacer(
      100,
      () => clock,
      async (ms) => (waited += ms),
    );
    for (let i = 0; i < 5; i += 1) {
      await pacer.take(10);
      clock += 500;
    }
    expect(waited).toBe(0);
  });
});
