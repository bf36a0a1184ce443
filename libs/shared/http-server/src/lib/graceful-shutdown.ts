import type { Logger } from '@inventory/shared/observability';

export interface ShutdownStep {
  name: string;
  run: () => Promise<unknown>;
}

/**
 * On SIGTERM/SIGINT: marks the process draining (readiness fails), runs the steps in order
 * (stop taking work, finish in-flight, close clients), then exits 0; a failing step is logged
 * and the rest still run, and a second signal exits at once.
 */
export function onShutdownSignal(logger: Logger, steps: ShutdownStep[], onDraining: () => void = () => undefined): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    onDraining();
    logger.info({ signal }, 'shutting down');
    let failed = false;
    for (const step of steps) {
      try {
        await step.run();
      } catch (error) {
        failed = true;
        logger.error({ err: error, step: step.name }, 'shutdown step failed');
      }
    }
    logger.info('stopped');
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    process.exit(failed ? 1 : 0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}
