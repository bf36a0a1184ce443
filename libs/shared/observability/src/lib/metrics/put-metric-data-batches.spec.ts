import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import { packPutMetricDataRequests } from './put-metric-data-batches';

const datum = (name: string, values = 1): MetricDatum => ({
  MetricName: name,
  Unit: 'Milliseconds',
  Values: Array.from({ length: values }, (_, i) => i + 0.5),
  Counts: Array.from({ length: values }, () => 3),
});

describe('packPutMetricDataRequests', () => {
  it('when there are more datums than one request takes, then requests hold at most 1,000, in order', () => {
    const datums = Array.from({ length: 2500 }, (_, i) => datum(`M${i}`));
    const requests = packPutMetricDataRequests(datums);
    expect(requests.map((request) => request.length)).toEqual([1000, 1000, 500]);
    expect(requests.flat()).toEqual(datums);
  });

  it('when datums are large, then no request exceeds the byte limit', () => {
    const datums = Array.from({ length: 30 }, (_, i) => datum(`M${i}`, 150));
    const limits = { maxDatumsPerRequest: 1000, maxBytesPerRequest: 20_000 };
    const requests = packPutMetricDataRequests(datums, limits);
    expect(requests.length).toBeGreaterThan(1);
    for (const request of requests) expect(JSON.stringify(request).length).toBeLessThanOrEqual(limits.maxBytesPerRequest);
    expect(requests.flat()).toEqual(datums);
  });

  it('when nothing was recorded, then no request is made', () => {
    expect(packPutMetricDataRequests([])).toEqual([]);
  });
});
