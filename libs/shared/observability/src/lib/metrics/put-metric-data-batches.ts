import type { MetricDatum } from '@aws-sdk/client-cloudwatch';

export interface PutMetricDataLimits {
  maxDatumsPerRequest: number;
  maxBytesPerRequest: number;
}

/** PutMetricData's quotas: 1,000 datums and 1 MB per request (less a margin for the envelope). */
export const PUT_METRIC_DATA_LIMITS: PutMetricDataLimits = { maxDatumsPerRequest: 1000, maxBytesPerRequest: 1_000_000 - 16_384 };

/** Packs datums, in order, into as few requests as the limits allow. */
export function packPutMetricDataRequests(datums: MetricDatum[], limits: PutMetricDataLimits = PUT_METRIC_DATA_LIMITS): MetricDatum[][] {
  const requests: MetricDatum[][] = [];
  let current: MetricDatum[] = [];
  let bytes = 0;
  for (const datum of datums) {
    // The JSON protocol sends the datum as JSON, so its serialized length is its wire size.
    const size = JSON.stringify(datum).length + 1;
    if (current.length > 0 && (current.length >= limits.maxDatumsPerRequest || bytes + size > limits.maxBytesPerRequest)) {
      requests.push(current);
      current = [];
      bytes = 0;
    }
    current.push(datum);
    bytes += size;
  }
  if (current.length > 0) requests.push(current);
  return requests;
}
