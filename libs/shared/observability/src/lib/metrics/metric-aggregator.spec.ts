import { MetricAggregator, roundForAggregation } from './metric-aggregator';

const dimensions = [{ Name: 'Service', Value: 'query-api' }];

describe('MetricAggregator', () => {
  it('when values are rounded, then three significant digits remain at every magnitude', () => {
    expect(roundForAggregation(0.0123456)).toBe(0.0123);
    expect(roundForAggregation(12.3456)).toBe(12.3);
    expect(roundForAggregation(123456)).toBe(123000);
    expect(roundForAggregation(0)).toBe(0);
  });

  it('when the same value is recorded many times, then one value carries the whole count', () => {
    const aggregator = new MetricAggregator();
    for (let i = 0; i < 5000; i += 1) aggregator.add('CacheHit', 'Count', 1);
    const [datum] = aggregator.drain(new Date(), dimensions);
    expect(datum).toMatchObject({ MetricName: 'CacheHit', Unit: 'Count', Values: [1], Counts: [5000], Dimensions: dimensions });
  });

  it('when more distinct values arrive than one datum holds, then they spread over datums of at most 150 and none is lost', () => {
    const aggregator = new MetricAggregator();
    for (let ms = 1; ms <= 400; ms += 1) aggregator.add('QueryDuration', 'Milliseconds', ms);
    const datums = aggregator.drain(new Date(), dimensions);
    // CloudWatch takes at most 150 values per datum (PutMetricData's documented limit), written out here.
    expect(datums.map((datum) => datum.Values?.length)).toEqual([150, 150, 100]);
    expect(datums.every((datum) => datum.Values?.length === datum.Counts?.length)).toBe(true);
    expect(datums.flatMap((datum) => datum.Values ?? []).sort((a, b) => a - b)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
  });

  it('when drained, then the next drain starts empty', () => {
    const aggregator = new MetricAggregator();
    aggregator.add('CacheMiss', 'Count', 1);
    expect(aggregator.drain(new Date(), dimensions)).toHaveLength(1);
    expect(aggregator.isEmpty).toBe(true);
    expect(aggregator.drain(new Date(), dimensions)).toEqual([]);
  });
});
