import { setTimeout as sleep } from 'node:timers/promises';

const WINDOW_MS = 1_000;

/**
 * Holds this process's CPU near a share of its allowance. Work runs in short slices; after each,
 * `pace()` compares the CPU used in the current window with what the target allows for the wall
 * time passed, and sleeps off any excess. Windows restart every second so it follows the load.
 * One governor per process: every concurrent job paces through it.
 */
export class CpuGovernor {
  private targetFraction = 1;
  private windowStartedAt = performance.now();
  private windowCpu = process.cpuUsage();

  constructor(readonly allowanceCores: number) {}

  /** `percent` of the allowance, 1–100. */
  setTarget(percent: number): void {
    this.targetFraction = Math.min(100, Math.max(1, percent)) / 100;
  }

  async pace(): Promise<void> {
    const now = performance.now();
    const used = process.cpuUsage(this.windowCpu);
    const cpuMs = (used.user + used.system) / 1000;
    const wallMsAtTarget = cpuMs / (this.targetFraction * this.allowanceCores);
    const excessMs = wallMsAtTarget - (now - this.windowStartedAt);
    if (excessMs >= 1) await sleep(excessMs);
    if (performance.now() - this.windowStartedAt >= WINDOW_MS) {
      this.windowStartedAt = performance.now();
      this.windowCpu = process.cpuUsage();
    }
  }
}
