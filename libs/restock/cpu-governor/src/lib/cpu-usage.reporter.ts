import type { Metrics } from '@inventory/shared/observability';

/**
 * Reports `RestockCPU`: the CPU this process actually used over each interval, as a percentage of
 * its allowance, so the governor's target can be checked against what happened.
 */
export function reportCpuUsage(metrics: Metrics, allowanceCores: number, intervalMs = 5_000): () => void {
  let lastCpu = process.cpuUsage();
  let lastAt = performance.now();
  const timer = setInterval(() => {
    const used = process.cpuUsage(lastCpu);
    const now = performance.now();
    const cpuMs = (used.user + used.system) / 1000;
    metrics.gauge('RestockCPU', (100 * cpuMs) / ((now - lastAt) * allowanceCores));
    lastCpu = process.cpuUsage();
    lastAt = now;
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
