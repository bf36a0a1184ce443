import type { Dimension, MetricDatum, StandardUnit } from '@aws-sdk/client-cloudwatch';

/** PutMetricData accepts at most this many distinct values in one datum's `Values`. */
export const MAX_VALUES_PER_DATUM = 150;

/**
 * Three significant digits: percentiles move by at most 0.5%, while a busy minute's thousands of
 * timings fold into a few hundred distinct values.
 */
export function roundForAggregation(value: number): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  const factor = 10 ** (2 - Math.floor(Math.log10(Math.abs(value))));
  return Math.round(value * factor) / factor;
}

interface Series {
  unit: StandardUnit;
  /** value → how many times it was recorded */
  counts: Map<number, number>;
}

/**
 * Collects recorded values between flushes as value/count pairs, so CloudWatch receives the
 * distribution (and computes percentiles) rather than one call per event or a bare average.
 */
export class MetricAggregator {
  private series = new Map<string, Series>();

  add(name: string, unit: StandardUnit, value: number): void {
    let series = this.series.get(name);
    if (!series) {
      series = { unit, counts: new Map() };
      this.series.set(name, series);
    }
    const rounded = roundForAggregation(value);
    series.counts.set(rounded, (series.counts.get(rounded) ?? 0) + 1);
  }

  get isEmpty(): boolean {
    return this.series.size === 0;
  }

  /** Everything recorded since the last drain, as datums of at most 150 values each; then starts afresh. */
  drain(timestamp: Date, dimensions: Dimension[]): MetricDatum[] {
    const drained = this.series;
    this.series = new Map();
    const datums: MetricDatum[] = [];
    for (const [name, { unit, counts }] of drained) {
      const entries = [...counts];
      for (let first = 0; first < entries.length; first += MAX_VALUES_PER_DATUM) {
        const slice = entries.slice(first, first + MAX_VALUES_PER_DATUM);
        datums.push({
          MetricName: name,
          Dimensions: dimensions,
          Timestamp: timestamp,
          Unit: unit,
          Values: slice.map(([value]) => value),
          Counts: slice.map(([, count]) => count),
        });
      }
    }
    return datums;
  }
}
