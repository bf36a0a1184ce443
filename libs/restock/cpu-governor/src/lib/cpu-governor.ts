import { setTimeout as sleep } from 'node:timers/promises';

const WINDOW_MS = 1_000;

/** What the governor reads and waits on: this process's clocks, or a spec's. */
export interface GovernorClock {
  /** Wall time, ms. */
  now(): number;
  /** CPU this process has used (user + system, every thread), ms. */
  cpuMs(): number;
  sleep(ms: number): Promise<unknown>;
}

const processClock: GovernorClock = {
  now: () => performance.now(),
  cpuMs: () => {
    const used = process.cpuUsage();
    return (used.user + used.system) / 1000;
  },
  sleep: (ms) => sleep(ms),
};

/**
 * Holds this process's CPU near a share of its allowance. Work runs in short slices; after each,
 * `pace()` compares the CPU used in the current window with what the target allows for the wall
 * time passed, and sleeps off any excess. Windows restart every second so it follows the load.
 * One governor per process: every concurrent job paces through it.
 */
export class CpuGovernor {
  private targetFraction = 1;
  private windowStartedAt: number;
  private windowCpuMs: number;

  constructor(
    readonly allowanceCores: number,
    private readonly clock: GovernorClock = processClock,
  ) {
    this.windowStartedAt = clock.now();
    this.windowCpuMs = clock.cpuMs();
  }

  /** `percent` of the allowance, 1–100. */
  setTarget(percent: number): void {
    this.targetFraction = Math.min(100, Math.max(1, percent)) / 100;
  }

  async pace(): Promise<void> {
    const cpuMs = this.clock.cpuMs() - this.windowCpuMs;
    const wallMsAtTarget = cpuMs / (this.targetFraction * this.allowanceCores);
    const excessMs = wallMsAtTarget - (this.clock.now() - this.windowStartedAt);
    if (excessMs >= 1) await this.clock.sleep(excessMs);
    if (this.clock.now() - this.windowStartedAt >= WINDOW_MS) {
      this.windowStartedAt = this.clock.now();
      this.windowCpuMs = this.clock.cpuMs();
    }
  }
}
