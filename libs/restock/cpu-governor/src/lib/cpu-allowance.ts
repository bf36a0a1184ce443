import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

type ReadFile = (path: string) => string;
const readText: ReadFile = (path) => readFileSync(path, 'utf8');

/**
 * Cores this process may use: an explicit override, else the container's cgroup CPU limit (v2
 * `cpu.max`, or v1 quota/period), else the machine's cores.
 */
export function cpuAllowanceCores(override?: number, read: ReadFile = readText): number {
  if (override) return override;
  try {
    const [quota, period] = read('/sys/fs/cgroup/cpu.max').trim().split(/\s+/);
    if (quota && quota !== 'max') return Number(quota) / Number(period);
  } catch {
    // not cgroup v2
  }
  try {
    const quota = Number(read('/sys/fs/cgroup/cpu/cpu.cfs_quota_us'));
    if (quota > 0) return quota / Number(read('/sys/fs/cgroup/cpu/cpu.cfs_period_us'));
  } catch {
    // not cgroup v1 either
  }
  return availableParallelism();
}
