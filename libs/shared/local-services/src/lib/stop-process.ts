import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** Asks a child process to stop (SIGTERM) and waits until it has exited; nothing if it already has. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}
