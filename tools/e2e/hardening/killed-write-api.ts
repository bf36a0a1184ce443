import { type AppEnvironment, type RunningApps, spawnBuiltApps, stopApps } from '@inventory/service/built-apps';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The built write-api as a real process that a test SIGKILLs and starts again while clients write. */
export class KilledWriteApi {
  private apps: RunningApps | undefined;

  private constructor(private readonly env: AppEnvironment) {}

  static async start(env: AppEnvironment): Promise<KilledWriteApi> {
    const api = new KilledWriteApi(env);
    api.apps = await spawnBuiltApps(env, ['write-api']);
    return api;
  }

  /** Where it answers now (a new port after each restart). */
  get url(): string | undefined {
    return this.apps?.['write-api']?.url;
  }

  /** `kills` times: waits a random 0.3–1.0 s (plus `extraPauseMs`), SIGKILLs it, starts it again. */
  async killRepeatedly(kills: number, extraPauseMs = 0): Promise<void> {
    for (let kill = 0; kill < kills; kill += 1) {
      await sleep(300 + extraPauseMs + Math.random() * 700);
      await this.kill();
    }
  }

  /** SIGKILLs it, leaves it down `downMs`, starts it again: when (epoch ms) it died and when it answered again. */
  async kill(downMs = 0): Promise<{ killedAt: number; upAt: number }> {
    const running = this.apps?.['write-api'];
    running?.process.kill('SIGKILL');
    const killedAt = Date.now();
    await running?.stop();
    await sleep(downMs);
    this.apps = await spawnBuiltApps(this.env, ['write-api']);
    return { killedAt, upAt: Date.now() };
  }

  async stop(): Promise<void> {
    if (this.apps) await stopApps(this.apps);
  }
}
