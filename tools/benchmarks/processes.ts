import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
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
