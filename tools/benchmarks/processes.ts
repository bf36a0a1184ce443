import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { stopProcess } from '@inventory/shared/local-services';

export interface Child {
  process: ChildProcess;
  stop: () => Promise<void>;
}

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

/** BENCH_PROFILE_DIR=dir writes a V8 CPU profile of each app there, to see where its time goes. */
export const profileArgs = process.env['BENCH_PROFILE_DIR'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_PROFILE_DIR']}`] : [];

/** Starts a built app bundle with `env` and waits until its /ready answers. */
export async function spawnApp(bundle: string, port: number, env: NodeJS.ProcessEnv): Promise<Child> {
  const child = spawn(process.execPath, [...profileArgs, bundle], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: 'ignore',
  });
  for (let attempt = 0; attempt < 150; attempt += 1) {
    if (
      await fetch(`http://127.0.0.1:${port}/ready`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { process: child, stop: () => stopProcess(child) };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${bundle} did not become ready on port ${port}`);
}

/** A benchmark's entry point: a failure prints its stack and exits 1. */
export function runBenchmark(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
