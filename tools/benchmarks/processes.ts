import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { stopProcess } from '@inventory/shared/local-services';
import { type Child } from '@inventory/service/built-apps';

/** Benchmarks count writes against the rate limit as production does, far above what one client sends. */
export const BENCH_ENV = { RATE_LIMIT_WRITES_PER_MINUTE: process.env['BENCH_WRITE_LIMIT'] ?? '10000000' };

/** Starts `node args…` and resolves with its first stdout line (the port these scripts print). */
export async function spawnNode(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Child & { firstLine: string }> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  if (!child.stdout) throw new Error('child has no stdout');
  const lines = createInterface({ input: child.stdout });
  const [firstLine] = (await once(lines, 'line')) as [string];
  child.stdout?.resume();
  return { process: child, firstLine, stop: () => stopProcess(child) };
}

/** CPU seconds (user + system, all threads) a process has used so far, from /proc. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The machine's CPU time so far, busy and in all, in clock ticks (/proc/stat): `busyShare(before, after)` is how full the box was. */
export function machineCpu(): { busy: number; total: number } {
  const ticks = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number);
  const total = ticks.reduce((sum, tick) => sum + tick, 0);
  // idle and iowait
  return { busy: total - (ticks[3] ?? 0) - (ticks[4] ?? 0), total };
}

export const busyShare = (before: { busy: number; total: number }, after: { busy: number; total: number }) =>
  (after.busy - before.busy) / Math.max(1, after.total - before.total);

/**
 * Holds a process to `cores` of CPU time with a CFS quota, as Kubernetes holds a pod to its CPU
 * (cgroup v1 `cpu` controller; needs root). Answers a release to call once the process has exited.
 */
export function capCpu(pid: number, cores: number): () => Promise<void> {
  const group = `/sys/fs/cgroup/cpu/bench-${pid}`;
  mkdirSync(group, { recursive: true });
  writeFileSync(`${group}/cpu.cfs_period_us`, '100000');
  writeFileSync(`${group}/cpu.cfs_quota_us`, String(Math.round(cores * 100_000)));
  writeFileSync(`${group}/cgroup.procs`, String(pid));
  // A group empties a moment after its process is reaped.
  return async () => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return rmdirSync(group);
      } catch (error) {
        if (attempt >= 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };
}

/** Holds a process, every thread of it, to one core (`taskset`): a pod's one-core allowance. */
export function pinToCore(pid: number, core: number): void {
  execFileSync('taskset', ['-a', '-cp', String(core), String(pid)], { stdio: 'ignore' });
}

/** A benchmark's entry point: a failure prints its stack and exits 1. */
export function runBenchmark(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
