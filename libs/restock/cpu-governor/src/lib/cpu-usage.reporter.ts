import type { Metrics } from '@inventory/shared/observability';

/**
 * Reports `RestockCPU`: the CPU this process actually used over each interval, as a percentage of
 * its allowance, so the governor's target can be checked against what happened.
 */
export function reportCpuUsage(
  metrics: Metrics,
  allowanceCores: number,
  intervalMs = 5_000,
  /** Also given each interval's figure (the storm page's timeline). */
  onSample: (cpuPercent: number) => void = () => undefined,
): () => void {
  let lastCpu = process.cpuUsage();
  let lastAt = performance.now();
  const timer = setInterval(() => {
    const used = process.cpuUsage(lastCpu);
    const now = performance.now();
    const cpuMs = (used.user + used.system) / 1000;
    const percent = (100 * cpuMs) / ((now - lastAt) * allowanceCores);
    metrics.gauge('RestockCPU', percent);
    onSample(percent);
    lastCpu = process.cpuUsage();
    lastAt = now;
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
