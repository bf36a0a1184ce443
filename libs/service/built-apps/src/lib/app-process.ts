import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort, stopProcess } from '@inventory/shared/local-services';

export interface Child {
  process: ChildProcess;
  stop: () => Promise<void>;
}

const WORKSPACE = join(__dirname, '..', '..', '..', '..', '..');

/** An app's bundle as `nx build` leaves it (`query-api`, `write-api`, `restock-worker`). */
export const builtAppBundle = (name: string): string => join(WORKSPACE, 'dist', 'apps', name, 'main.js');

/** BENCH_PROFILE_DIR=dir writes a V8 CPU profile of each app there, to see where its time goes. */
export const profileArgs = process.env['BENCH_PROFILE_DIR'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_PROFILE_DIR']}`] : [];

/** A built app as a process: where its management port (`/ready`, `/metrics`) answers. */
export type AppChild = Child & { managementUrl: string };

/** Starts a built app bundle with `env` on `port` (its management port a free one) and waits until its /ready answers. */
export async function spawnApp(bundle: string, port: number, env: NodeJS.ProcessEnv): Promise<AppChild> {
  const managementPort = await freePort();
  const managementUrl = `http://127.0.0.1:${managementPort}`;
  const child = spawn(process.execPath, [...profileArgs, bundle], {
    env: { ...process.env, ...env, PORT: String(port), MANAGEMENT_PORT: String(managementPort) },
    stdio: 'ignore',
  });
  for (let attempt = 0; attempt < 150; attempt += 1) {
    if (
      await fetch(`${managementUrl}/ready`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { process: child, managementUrl, stop: () => stopProcess(child) };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`${bundle} did not become ready on port ${port}`);
}
