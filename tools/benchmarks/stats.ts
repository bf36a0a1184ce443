import autocannon from 'autocannon';

export interface Sample {
  rps: number;
  p99: number;
  failures: number;
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

/** The value at `fraction` (0.99 for p99) of already sorted values; 0 when there are none. */
export function percentile(sorted: number[], fraction: number): number {
  return sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0);
}

export function medianSample(samples: Sample[]): Sample {
  return {
    rps: median(samples.map((s) => s.rps)),
    p99: median(samples.map((s) => s.p99)),
    failures: samples.reduce((sum, s) => sum + s.failures, 0),
  };
}

export async function cannon(options: autocannon.Options): Promise<Sample> {
  const result = await autocannon(options);
  return { rps: result.requests.average, p99: result.latency.p99, failures: result.errors + result.timeouts + result.non2xx };
}

/** Runs `operation` from `concurrency` loops for `seconds`; the raw-client baseline for request paths. */
export async function loop(concurrency: number, seconds: number, operation: (i: number) => Promise<unknown>): Promise<Sample> {
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const started = performance.now();
        try {
          await operation(next++);
          latencies.push(performance.now() - started);
        } catch {
          failures += 1;
        }
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / seconds, p99: percentile(latencies, 0.99), failures };
}

export interface Row {
  name: string;
  ours: Sample;
  baseline: Sample;
  baselineName: string;
  target: number;
  /**
   * Each round's own ratio (ours / baseline measured back to back). When given, the row's ratio is
   * their median: this box's speed drifts between rounds, and the ratio of the two columns' medians
   * would pair different rounds.
   */
  roundRatios?: number[];
}

/** The ratio of each round's pair: `ours[i]` against `baseline[i]`, measured back to back. */
export function pairedRatios(ours: Sample[] = [], baseline: Sample[] = []): number[] {
  return ours.slice(0, baseline.length).map((sample, i) => sample.rps / (baseline[i] as Sample).rps);
}

export function table(rows: Row[]): string {
  const lines = [
    '| benchmark | ours req/s | ours p99 ms | baseline | baseline req/s | baseline p99 ms | ratio | target | failures |',
    '|---|---:|---:|---|---:|---:|---:|---:|---:|',
  ];
  for (const { name, ours, baseline, baselineName, target, roundRatios = [] } of rows) {
    const ratio = roundRatios.length > 0 ? median(roundRatios) : ours.rps / baseline.rps;
    const rounds = roundRatios.length > 0 ? ` (rounds: ${roundRatios.map((r) => r.toFixed(2)).join(', ')})` : '';
    lines.push(
      `| ${name} | ${ours.rps.toFixed(0)} | ${ours.p99.toFixed(1)} | ${baselineName} | ${baseline.rps.toFixed(0)} | ${baseline.p99.toFixed(1)} | **${ratio.toFixed(2)}×**${rounds} | ≥ ${target}× ${ratio >= target ? '✓' : '✗'} | ${ours.failures + baseline.failures} |`,
    );
  }
  return lines.join('\n');
}
